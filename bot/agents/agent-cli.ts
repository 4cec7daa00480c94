// npm run agent -- add --name NAME --languages en,ko [--queues worldwide:technical:en,...] [--password PW] [--aad-object-id ID]
//                  npm run agent -- list | remove --name NAME
//                  npm run agent -- invite --name NAME [--minutes N] | presence --name NAME --set online|away|offline
// Manages support agents in the bot's database (DATA_DIR, like the bot). Passwords are stored as scrypt hashes;
// an invite prints a one-time agent console link (only the token's hash is stored).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, parseConfig, readEnvironment } from '../config';
import { openConfiguredDatabase } from '../storage/database';
import { AgentSessions, INVITE_MINUTES } from '../agent-console/sessions';
import { AgentError, AgentStore, PRESENCES, Presence } from './agents';

const list = (value: string | undefined) => (value ? value.split(',').map((v) => v.trim()).filter(Boolean) : undefined);

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: { name: { type: 'string' }, languages: { type: 'string' }, queues: { type: 'string' }, password: { type: 'string' }, 'aad-object-id': { type: 'string' }, minutes: { type: 'string' }, set: { type: 'string' } },
  });
  const config = parseConfig(readEnvironment(process.env));
  const db = await openConfiguredDatabase(config);
  const agents = new AgentStore(db);
  try {
    switch (command) {
      case 'add': {
        const agent = await agents.add({ name: values.name, languages: list(values.languages), queues: list(values.queues), password: values.password, aadObjectId: values['aad-object-id'] });
        console.log(`added ${agent.name} (${agent.languages.join(', ')}; queues ${agent.queues.join(', ')}${agent.hasPassword ? '; console login' : ''}${agent.aadObjectId ? '; Teams' : ''})`);
        return 0;
      }
      case 'list':
        for (const a of await agents.list()) console.log(`${a.name}\t${a.presence}\t${a.languages.join(',')}\t${a.queues.join(',')}\t${a.hasPassword ? 'console' : ''}${a.aadObjectId ? ' teams' : ''}`);
        return 0;
      case 'remove':
        if (!values.name || !(await agents.remove(values.name))) {
          console.error(`agent: no agent named ${JSON.stringify(values.name ?? '')}`);
          return 1;
        }
        console.log(`removed ${values.name}`);
        return 0;
      case 'invite': {
        const agent = values.name ? await agents.get(values.name) : undefined;
        if (!agent) throw new AgentError(`no agent named ${JSON.stringify(values.name ?? '')}`);
        const minutes = values.minutes === undefined ? INVITE_MINUTES : Number(values.minutes);
        if (!Number.isInteger(minutes) || minutes < 1 || minutes > 60 * 24 * 30) throw new AgentError('--minutes is a whole number from 1 to 43200 (30 days)');
        const token = await new AgentSessions(db).invite(agent.name, minutes);
        console.log(`${config.publicUrl.replace(/\/+$/, '')}/agent#invite=${token}`);
        console.error(`one-time console link for ${agent.name}, valid ${minutes} minutes: send it privately`);
        return 0;
      }
      case 'presence': {
        if (!values.name) throw new AgentError('--name is required');
        if (!PRESENCES.includes(values.set as Presence)) throw new AgentError(`--set is one of ${PRESENCES.join(', ')}`);
        await agents.setPresence(values.name, values.set as Presence);
        console.log(`${values.name} is ${values.set}`);
        return 0;
      }
      default:
        console.error('usage: npm run agent -- add --name NAME --languages en,ko [--queues ...] [--password PW] [--aad-object-id ID] | list | remove --name NAME | invite --name NAME [--minutes N] | presence --name NAME --set online|away|offline');
        return 2;
    }
  } finally {
    await db.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: Error) => {
    const known = error instanceof AgentError || error instanceof ConfigError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    console.error(`agent: ${known ? error.message : error.message.split('\n')[0]}`);
    process.exitCode = 2;
  },
);
