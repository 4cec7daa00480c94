// npm run request -- list | show NUMBER | set-status NUMBER STATUS [--note TEXT] [--actor NAME]
// list and show read the database in DATA_DIR. set-status goes through the running bot's request
// API (PUBLIC_URL, REQUEST_API_TOKEN) so the requester is told in their conversation.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, parseConfig, readEnvironment } from '../config';
import { openConfiguredDatabase } from '../storage/database';
import { RequestStore, STATUSES } from './requests';

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { note: { type: 'string' }, actor: { type: 'string' } } });
  const config = parseConfig(readEnvironment(process.env));
  if (command === 'set-status') {
    const [number, status] = positionals;
    if (!number || !(STATUSES as readonly string[]).includes(status ?? '')) {
      console.error(`request: set-status NUMBER STATUS, where STATUS is one of ${STATUSES.join(', ')}`);
      return 2;
    }
    if (!config.requestApiToken) {
      console.error('request: set REQUEST_API_TOKEN (the same as the running bot) to change a request');
      return 2;
    }
    const response = await fetch(`${config.publicUrl}/api/requests/${encodeURIComponent(number)}/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${config.requestApiToken}` },
      body: JSON.stringify({ status, note: values.note, actor: values.actor ?? 'support' }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await response.json().catch(() => ({}))) as { error?: string };
    if (!response.ok) {
      console.error(`request: ${response.status} ${body.error ?? ''}`.trim());
      return 1;
    }
    console.log(`${number} is now ${status}; the requester has been told`);
    return 0;
  }
  const db = await openConfiguredDatabase(config);
  try {
    const store = new RequestStore(db);
    if (command === 'list') {
      for (const r of await store.list(100)) console.log(`${r.number}\t${r.status}\t${r.severity}\t${r.category}\t${r.organisationId}\tdue ${r.firstResponseDue}`);
      return 0;
    }
    if (command === 'show' && positionals[0]) {
      const request = await store.get(positionals[0]);
      if (!request) {
        console.error(`request: no request ${positionals[0]}`);
        return 1;
      }
      const { conversationReference: _ref, ...visible } = request;
      console.log(JSON.stringify({ ...visible, history: await store.historyOf(request.number) }, null, 2));
      return 0;
    }
    console.error('usage: npm run request -- list | show NUMBER | set-status NUMBER STATUS [--note TEXT]');
    return 2;
  } finally {
    await db.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: Error) => {
    console.error(`request: ${error instanceof ConfigError ? error.message : error.message.split('\n')[0]}`);
    process.exitCode = 2;
  },
);
