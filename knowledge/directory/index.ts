// The support directory: the seed's facts plus the imported per-country pages, validated at load.
import { SEED_CONTACTS, SEED_DIRECTORY } from './seed-directory';
import importedCountries from './data/countries.json';
import { directorySchema } from './schema';
import type { CloudId, ContactPoint, DirectoryData, Policy, PolicyId, Severity, SeverityId } from './types';

export * from './types';
export { formatHours, formatInstant, isOpenAt, nextOpening, zoneLabel, formatDays, effectiveZone } from './hours';

export class DirectoryError extends Error {}

export class SupportDirectory {
  private readonly byCountry = new Map<string, ContactPoint[]>();

  constructor(readonly data: DirectoryData) {
    for (const contact of data.contacts) {
      for (const country of contact.countries) {
        const list = this.byCountry.get(country) ?? [];
        list.push(contact);
        this.byCountry.set(country, list);
      }
    }
  }

  /**
   * Entries for a country, optionally in one cloud. Without a cloud every entry for the country
   * comes back (a worldwide tenant in Germany and the Office 365 Germany cloud are both shown,
   * each saying when it applies). Never another country's entry.
   */
  contactsFor(country: string, cloud?: CloudId): ContactPoint[] {
    const all = this.byCountry.get(country.toUpperCase()) ?? [];
    const matching = cloud ? all.filter((c) => c.cloud === cloud) : all;
    // Worldwide first: most admins are on it.
    const order: CloudId[] = ['worldwide', 'germany', '21vianet'];
    return [...matching].sort((a, b) => order.indexOf(a.cloud) - order.indexOf(b.cloud) || (a.source === 'seed' ? -1 : 1));
  }

  /** Every entry of a cloud, wherever it is. */
  contactsInCloud(cloud: CloudId): ContactPoint[] {
    return this.data.contacts.filter((c) => c.cloud === cloud);
  }

  hasCountry(country: string): boolean {
    return this.byCountry.has(country.toUpperCase());
  }

  countries(): string[] {
    return [...this.byCountry.keys()].sort();
  }

  cloud(id: CloudId) {
    return this.data.clouds.find((c) => c.id === id)!;
  }

  /** '*.onmicrosoft.de' is Office 365 Germany, '*.partner.onmschina.cn' is 21Vianet, anything else worldwide. */
  cloudFromDomain(domain: string): CloudId {
    const d = domain.trim().toLowerCase().replace(/\.$/, '');
    for (const cloud of this.data.clouds) {
      if (cloud.id !== 'worldwide' && cloud.domainSuffixes.some((s) => d.endsWith(s))) return cloud.id;
    }
    return 'worldwide';
  }

  severities(): Severity[] {
    return this.data.severityPolicy.severities;
  }

  severity(id: SeverityId): Severity {
    return this.data.severityPolicy.severities.find((s) => s.id === id)!;
  }

  get severityPolicy() {
    return this.data.severityPolicy;
  }

  policy(id: PolicyId): Policy {
    return this.data.policies[id];
  }

  get countryListUrl(): string {
    return this.data.countryListUrl;
  }
}

/**
 * A worldwide page entry that repeats a seed entry (same country and main number) replaces it: the
 * page adds alternative numbers and per-language hours. Everything else is kept side by side, each
 * saying when it applies (the 21Vianet hours on the China page differ from the seed's, for one).
 */
export function mergeContacts(seed: ContactPoint[], pages: ContactPoint[]): ContactPoint[] {
  const main = (c: ContactPoint) => c.numbers.find((n) => n.kind === 'main')?.dial;
  const replaced = new Set<string>();
  for (const page of pages) {
    const twin = seed.find((s) => s.cloud === 'worldwide' && s.cloud === page.cloud && s.countries.join() === page.countries.join() && main(s) === main(page));
    if (twin) replaced.add(twin.id);
  }
  return [...seed.filter((s) => !replaced.has(s.id)), ...pages];
}

export function loadDirectory(pages: unknown = importedCountries): SupportDirectory {
  const candidate = { ...SEED_DIRECTORY, contacts: mergeContacts(SEED_CONTACTS, pages as ContactPoint[]) };
  const parsed = directorySchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.join('.');
    const id = issue.path[0] === 'contacts' ? ` (entry ${(candidate.contacts[issue.path[1] as number] as { id?: string })?.id})` : '';
    throw new DirectoryError(`support directory is invalid at ${where}${id}: ${issue.message}`);
  }
  const ids = new Set<string>();
  for (const c of candidate.contacts) {
    if (ids.has(c.id)) throw new DirectoryError(`support directory has two entries with id ${c.id}`);
    ids.add(c.id);
  }
  return new SupportDirectory(candidate as DirectoryData);
}
