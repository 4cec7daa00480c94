// npm run knowledge:index [-- --dir PATH ...] [--build] [--quiet]
// Ingests the bot's own articles plus KNOWLEDGE_DIRS and any --dir folders, indexes them, and saves
// the index where the bot looks for it (DATA_DIR/search, or build/search with --build), with a
// progress bar and a summary: articles, sections, per-language counts, skipped files and why.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SingleBar, Presets } from 'cli-progress';
import { parseConfig, readEnvironment, ConfigError } from '../../bot/config';
import { BUILD_INDEX_DIR, fingerprint, knowledgeSources, saveIndex } from './knowledge-base';
import { ingestSources } from './ingest';
import { HelpSearch } from './help-search';

function main(): number {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string', multiple: true, default: [] },
      build: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
    },
  });
  let config;
  try {
    config = parseConfig(readEnvironment(process.env));
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`knowledge:index: ${error.message}`);
      return 2;
    }
    throw error;
  }
  const dirs = [...config.knowledgeDirs, ...values.dir.map((d) => path.resolve(d))];
  const sources = knowledgeSources(dirs, config.publicUrl);
  const started = Date.now();
  const bar = values.quiet || !process.stderr.isTTY ? undefined : new SingleBar({ format: 'indexing [{bar}] {value}/{total} files', hideCursor: true }, Presets.shades_classic);
  let barStarted = false;
  const ingest = ingestSources(sources, {
    onFile: (done, total) => {
      if (!bar) return;
      if (!barStarted) {
        bar.start(total, 0);
        barStarted = true;
      }
      bar.update(done);
    },
  });
  bar?.stop();
  const search = HelpSearch.build(ingest.articles);
  const file = saveIndex(search, values.build ? BUILD_INDEX_DIR : path.join(config.dataDir, 'search'), fingerprint(sources));

  const perLanguage = new Map<string, { articles: number; sections: number }>();
  for (const article of ingest.articles) {
    const entry = perLanguage.get(article.language) ?? { articles: 0, sections: 0 };
    entry.articles += 1;
    entry.sections += article.sections.length;
    perLanguage.set(article.language, entry);
  }
  const sections = ingest.articles.reduce((n, a) => n + a.sections.length, 0);
  const summary = [
    `help index: ${ingest.articles.length} articles, ${sections} sections in ${Date.now() - started} ms -> ${path.relative(process.cwd(), file)}`,
    ...[...perLanguage].sort().map(([language, c]) => `  ${language}: ${c.articles} articles, ${c.sections} sections`),
    `  sources: ${sources.map((s) => s.dir).join(', ')}`,
  ];
  if (ingest.skipped.length) summary.push(`  skipped ${ingest.skipped.length}:`, ...ingest.skipped.map((s) => `    ${s.path}: ${s.reason}`));
  if (ingest.warnings.length && !values.quiet) summary.push(`  notes ${ingest.warnings.length}:`, ...ingest.warnings.map((w) => `    ${w}`));
  if (dirs.length > config.knowledgeDirs.length) summary.push(`  start the bot with KNOWLEDGE_DIRS=${dirs.join(path.delimiter)} to use this index`);
  console.log(summary.join('\n'));
  return 0;
}

process.exitCode = main();
