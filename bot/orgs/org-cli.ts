// npm run org -- add --file org.json | add --id ID --name NAME --domain D [--tenant T] --email E [--phone P]
//                      [--admin-email E] [--admin-aad ID] [--cloud worldwide] [--country US]
//                      [--partner-name N --partner-contact C] [--advanced-support]
//               npm run org -- list | show ID | remove ID
// Manages organisation profiles in the bot's database (DATA_DIR, like the bot).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, parseConfig, readEnvironment } from '../config';
import { openConfiguredDatabase } from '../storage/database';
import { OrganisationError, OrganisationStore } from './organisations';

function fromFlags(v: Record<string, string | string[] | boolean | undefined>) {
  const list = (name: string) => (v[name] as string[] | undefined) ?? [];
  return {
    id: v.id,
    name: v.name,
    cloud: v.cloud ?? 'worldwide',
    country: v.country ?? 'US',
    tenantIds: list('tenant'),
    domains: list('domain'),
    contacts: { emails: list('email'), phones: list('phone') },
    admins: { emails: list('admin-email'), aadObjectIds: list('admin-aad') },
    purchase: v['partner-name'] ? { via: 'partner', partnerName: v['partner-name'], partnerContact: v['partner-contact'] } : { via: 'direct' },
    advancedSupport: Boolean(v['advanced-support']),
  };
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      file: { type: 'string' },
      id: { type: 'string' },
      name: { type: 'string' },
      cloud: { type: 'string' },
      country: { type: 'string' },
      tenant: { type: 'string', multiple: true },
      domain: { type: 'string', multiple: true },
      email: { type: 'string', multiple: true },
      phone: { type: 'string', multiple: true },
      'admin-email': { type: 'string', multiple: true },
      'admin-aad': { type: 'string', multiple: true },
      'partner-name': { type: 'string' },
      'partner-contact': { type: 'string' },
      'advanced-support': { type: 'boolean' },
    },
  });
  const config = parseConfig(readEnvironment(process.env));
  const db = await openConfiguredDatabase(config);
  const store = new OrganisationStore(db);
  try {
    switch (command) {
      case 'add': {
        const input = values.file ? JSON.parse(fs.readFileSync(values.file, 'utf8')) : fromFlags(values);
        const inputs = Array.isArray(input) ? input : [input];
        for (const org of inputs) console.log(`saved ${(await store.save(org)).id}`);
        return 0;
      }
      case 'list':
        for (const org of await store.list()) console.log(`${org.id}\t${org.name}\t${org.cloud}\t${org.country}\t${org.domains.join(',')}`);
        return 0;
      case 'show': {
        const org = positionals[0] ? await store.get(positionals[0]) : undefined;
        if (!org) {
          console.error(`org: no organisation ${JSON.stringify(positionals[0] ?? '')}`);
          return 1;
        }
        console.log(JSON.stringify(org, null, 2));
        return 0;
      }
      case 'remove':
        if (!positionals[0] || !(await store.remove(positionals[0]))) {
          console.error(`org: no organisation ${JSON.stringify(positionals[0] ?? '')}`);
          return 1;
        }
        console.log(`removed ${positionals[0]}`);
        return 0;
      default:
        console.error('usage: npm run org -- add (--file FILE | --id ID --name NAME --domain D --email E ...) | list | show ID | remove ID');
        return 2;
    }
  } finally {
    await db.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: Error) => {
    const known = error instanceof OrganisationError || error instanceof ConfigError || error instanceof SyntaxError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    console.error(`org: ${known ? error.message : error.message.split('\n')[0]}`);
    process.exitCode = 2;
  },
);
