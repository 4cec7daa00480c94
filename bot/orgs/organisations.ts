// Organisation profiles: who the customer is, how to reach its registered contacts, who its admins
// are, how it bought its subscription. Validated with zod on the way in; tenant ids and domains
// are unique across organisations so each identifies exactly one.
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { z } from 'zod';
import type { SqlDatabase } from '../storage/sql';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/**
 * A zod transform to E.164, whatever spacing the number was written with; `message` names the
 * problem for an invalid one (organisation files and the request form word it differently).
 */
export function e164Phone(message: (value: string) => string) {
  return (value: string, ctx: z.RefinementCtx): string => {
    const parsed = parsePhoneNumberFromString(value);
    if (!parsed?.isValid()) {
      ctx.addIssue({ code: 'custom', message: message(value) });
      return z.NEVER;
    }
    return parsed.number;
  };
}

const phoneNumber = z.string().transform(e164Phone((value) => `not a valid international phone number: ${JSON.stringify(value)}`));

export const organisationSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'lower-case letters, digits and hyphens'),
  name: z.string().trim().min(1).max(200),
  cloud: z.enum(['worldwide', '21vianet', 'germany']),
  country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166 alpha-2 code such as US'),
  tenantIds: z.array(z.string().regex(GUID, 'a tenant id is a GUID').transform((v) => v.toLowerCase())).default([]),
  domains: z.array(z.string().regex(DOMAIN, 'a domain name such as contoso.com').transform((v) => v.toLowerCase())).min(1),
  contacts: z.object({
    emails: z.array(z.email().transform((v) => v.toLowerCase())).default([]),
    phones: z.array(phoneNumber).default([]),
  }),
  admins: z.object({
    aadObjectIds: z.array(z.string().regex(GUID).transform((v) => v.toLowerCase())).default([]),
    emails: z.array(z.email().transform((v) => v.toLowerCase())).default([]),
  }),
  purchase: z.discriminatedUnion('via', [
    z.object({ via: z.literal('direct') }),
    z.object({ via: z.literal('partner'), partnerName: z.string().trim().min(1).max(200), partnerContact: z.string().trim().min(1).max(200) }),
  ]),
  advancedSupport: z.boolean().default(false),
});

export type Organisation = z.infer<typeof organisationSchema>;
export type OrganisationInput = z.input<typeof organisationSchema>;

export class OrganisationError extends Error {}

/** Zod's issues as one readable line per problem, naming the field. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

export function parseOrganisation(input: unknown): Organisation {
  const result = organisationSchema.safeParse(input);
  if (!result.success) throw new OrganisationError(describeIssues(result.error));
  if (result.data.contacts.emails.length + result.data.contacts.phones.length === 0) {
    throw new OrganisationError('contacts: at least one registered email or phone is needed for PIN verification');
  }
  return result.data;
}

export class OrganisationStore {
  constructor(
    private readonly db: SqlDatabase,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Adds or replaces an organisation; fails when one of its identifiers belongs to another. */
  async save(input: unknown): Promise<Organisation> {
    const org = parseOrganisation(input);
    const now = this.clock().toISOString();
    const identifiers = [...org.tenantIds.map((v) => ['tenant', v]), ...org.domains.map((v) => ['domain', v])];
    await this.db.transaction(async (tx) => {
      for (const [kind, value] of identifiers) {
        const owner = await tx.get<{ id: string }>('SELECT organisation_id AS id FROM organisation_identifiers WHERE kind = ? AND value = ?', [kind, value]);
        if (owner && owner.id !== org.id) throw new OrganisationError(`${kind} ${value} already belongs to organisation ${owner.id}`);
      }
      await tx.run(
        `INSERT INTO organisations (id, name, cloud, country, profile, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, cloud = excluded.cloud, country = excluded.country,
           profile = excluded.profile, updated_at = excluded.updated_at`,
        [org.id, org.name, org.cloud, org.country, JSON.stringify(org), now, now],
      );
      await tx.run('DELETE FROM organisation_identifiers WHERE organisation_id = ?', [org.id]);
      for (const [kind, value] of identifiers) await tx.run('INSERT INTO organisation_identifiers (kind, value, organisation_id) VALUES (?, ?, ?)', [kind, value, org.id]);
    });
    return org;
  }

  async get(id: string): Promise<Organisation | undefined> {
    const row = await this.db.get<{ profile: string }>('SELECT profile FROM organisations WHERE id = ?', [id]);
    return row ? (JSON.parse(row.profile) as Organisation) : undefined;
  }

  async list(): Promise<Organisation[]> {
    return (await this.db.all<{ profile: string }>('SELECT profile FROM organisations ORDER BY id')).map((r) => JSON.parse(r.profile) as Organisation);
  }

  async remove(id: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM organisations WHERE id = ?', [id])).changes === 1;
  }

  byTenant(tenantId: string): Promise<Organisation | undefined> {
    return this.byIdentifier('tenant', tenantId.toLowerCase());
  }

  /** A verified domain, or an email address at one. */
  byDomain(domainOrEmail: string): Promise<Organisation | undefined> {
    const domain = domainOrEmail.toLowerCase().split('@').pop() ?? '';
    return this.byIdentifier('domain', domain);
  }

  /** What a user typed to name their organisation: a tenant id, a domain or an email address. */
  async find(named: string): Promise<Organisation | undefined> {
    const value = named.trim();
    if (value.length > 254) return undefined;
    return GUID.test(value) ? this.byTenant(value) : DOMAIN.test(value.split('@').pop() ?? '') ? this.byDomain(value) : undefined;
  }

  private async byIdentifier(kind: 'tenant' | 'domain', value: string): Promise<Organisation | undefined> {
    const row = await this.db.get<{ profile: string }>(
      'SELECT o.profile FROM organisation_identifiers i JOIN organisations o ON o.id = i.organisation_id WHERE i.kind = ? AND i.value = ?',
      [kind, value],
    );
    return row ? (JSON.parse(row.profile) as Organisation) : undefined;
  }

  /** Whether the Teams user (AAD object id) or email is one of the organisation's admins. */
  isAdmin(org: Organisation, who: { aadObjectId?: string; email?: string }): boolean {
    if (who.aadObjectId && org.admins.aadObjectIds.includes(who.aadObjectId.toLowerCase())) return true;
    return Boolean(who.email && org.admins.emails.includes(who.email.toLowerCase()));
  }
}

/** Seeded on first start so a fresh `npm start` has organisations to try (see README). */
export const DEMO_ORGANISATIONS: OrganisationInput[] = [
  {
    id: 'contoso-demo',
    name: 'Contoso (demo)',
    cloud: 'worldwide',
    country: 'US',
    tenantIds: ['00000000-0000-4000-8000-00000000c0de'],
    domains: ['contoso.example', 'contosodemo.onmicrosoft.com'],
    contacts: { emails: ['admin@contoso.example'], phones: ['+1 425 555 0100'] },
    admins: { aadObjectIds: [], emails: ['admin@contoso.example'] },
    purchase: { via: 'direct' },
    advancedSupport: false,
  },
  {
    id: 'fabrikam-demo',
    name: 'Fabrikam (demo, bought through a partner)',
    cloud: '21vianet',
    country: 'CN',
    tenantIds: ['00000000-0000-4000-8000-0000000fab00'],
    domains: ['fabrikam.example'],
    contacts: { emails: ['it@fabrikam.example'], phones: [] },
    admins: { aadObjectIds: [], emails: ['it@fabrikam.example'] },
    purchase: { via: 'partner', partnerName: 'Northwind Cloud Partners', partnerContact: 'support@northwind.example' },
    advancedSupport: true,
  },
];

export async function seedDemoOrganisations(store: OrganisationStore): Promise<number> {
  if ((await store.list()).length > 0) return 0;
  for (const org of DEMO_ORGANISATIONS) await store.save(org);
  return DEMO_ORGANISATIONS.length;
}
