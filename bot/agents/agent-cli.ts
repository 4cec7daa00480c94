// npm run agent -- add --name NAME --languages en,ko [--queues worldwide:technical:en,...] [--password PW] [--aad-object-id ID]
//                  npm run agent -- list | remove --name NAME
// Manages support agents in the bot's database (DATA_DIR, like the bot). Passwords are stored as scrypt hashes.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, parseConfig, readEnvironment } from '../config';
import { openDatabase } from '../storage/database';
import { AgentError, AgentStore } from './agents';

const list = (value: string | undefined) => (value ? value.split(',').map((v) => v.trim()).filter(Boolean) : undefined);

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: { name: { type: 'string' }, languages: { type: 'string' }, queues: { type: 'string' }, password: { type: 'string' }, 'aad-object-id': { type: 'string' } },
  });
  const config = parseConfig(readEnvironment(process.env));
  const db = openDatabase(path.join(config.dataDir, 'bot.sqlite'));
  const agents = new AgentStore(db);
  try {
    switch (command) {
      case 'add': {
        const agent = await agents.add({ name: values.name, languages: list(values.languages), queues: list(values.queues), password: values.password, aadObjectId: values['aad-object-id'] });
        console.log(`added ${agent.name} (${agent.languages.join(', ')}; queues ${agent.queues.join(', ')}${agent.hasPassword ? '; console login' : ''}${agent.aadObjectId ? '; Teams' : ''})`);
        return 0;
      }
      case 'list':
        for (const a of agents.list()) console.log(`${a.name}\t${a.presence}\t${a.languages.join(',')}\t${a.queues.join(',')}\t${a.hasPassword ? 'console' : ''}${a.aadObjectId ? ' teams' : ''}`);
        return 0;
      case 'remove':
        if (!values.name || !agents.remove(values.name)) {
          console.error(`agent: no agent named ${JSON.stringify(values.name ?? '')}`);
          return 1;
        }
        console.log(`removed ${values.name}`);
        return 0;
      default:
        console.error('usage: npm run agent -- add --name NAME --languages en,ko [--queues ...] [--password PW] [--aad-object-id ID] | list | remove --name NAME');
        return 2;
    }
  } finally {
    db.close();
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
