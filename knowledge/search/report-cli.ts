// npm run knowledge:report [-- --days N] [--limit N] [--json]
// The questions the help articles did not answer (no results, or "Did this help?" → No), grouped
// and most frequent first: the articles to write next. Prints query text and counts only.
import { parseArgs } from 'node:util';
import { parseConfig, readEnvironment, ConfigError, Config } from '../../bot/config';
import { openConfiguredDatabase } from '../../bot/storage/database';
import { SearchLog } from './search-log';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      days: { type: 'string', default: '90' },
      limit: { type: 'string', default: '50' },
      json: { type: 'boolean', default: false },
    },
  });
  const days = Number(values.days);
  const limit = Number(values.limit);
  if (!Number.isInteger(days) || days < 1 || !Number.isInteger(limit) || limit < 1) {
    console.error('knowledge:report: --days and --limit take whole numbers of 1 or more');
    return 2;
  }
  let config: Config;
  try {
    config = parseConfig(readEnvironment(process.env));
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`knowledge:report: ${error.message}`);
      return 2;
    }
    throw error;
  }
  const db = await openConfiguredDatabase(config);
  try {
    const log = new SearchLog(db);
    const rows = await log.unanswered({ since: new Date(Date.now() - days * 86_400_000), limit });
    if (values.json) {
      console.log(JSON.stringify({ days, totals: await log.counts(), unanswered: rows }, null, 2));
      return 0;
    }
    const totals = await log.counts();
    console.log(`searches: ${totals.searches}, no results: ${totals.noResults}, helpful: ${totals.helpful}, not helpful: ${totals.unhelpful}`);
    if (rows.length === 0) {
      console.log(`No unanswered questions in the last ${days} days.`);
      return 0;
    }
    console.log(`Unanswered questions, last ${days} days (asked / no results / not helpful):`);
    for (const row of rows) {
      console.log(`${String(row.asked).padStart(5)} ${String(row.noResults).padStart(4)} ${String(row.unhelpful).padStart(4)}  [${row.language}] ${JSON.stringify(row.query)}`);
    }
    return 0;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (error: Error) => {
    console.error(`knowledge:report: ${error.message.split('\n')[0]}`);
    process.exitCode = 2;
  },
);
