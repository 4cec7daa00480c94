// Runs the Markdown ingest in a worker thread for the ingest fuzz test, so a pathological input that
// makes it spin (a backtracking regular expression) fails the test on a deadline instead of hanging
// the whole run: the main thread can terminate a worker, not a synchronous loop of its own.
import { parentPort } from 'node:worker_threads';
import type { IngestOptions, KnowledgeSource } from '../../knowledge/search/ingest';

// FUZZ_INGEST_MODULE points the fuzz at another copy of the ingest (to show it catches an old bug).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ingestSources } = require(process.env.FUZZ_INGEST_MODULE ?? '../../knowledge/search/ingest') as typeof import('../../knowledge/search/ingest');

parentPort!.on('message', (job: { id: number; sources: KnowledgeSource[]; options: IngestOptions }) => {
  const started = process.hrtime.bigint();
  try {
    const first = ingestSources(job.sources, job.options);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    // Twice, to check the result depends on the input only.
    const second = ingestSources(job.sources, job.options);
    parentPort!.postMessage({ id: job.id, ok: true, first, second, ms });
  } catch (error) {
    parentPort!.postMessage({ id: job.id, ok: false, error: String((error as Error)?.stack ?? error) });
  }
});
