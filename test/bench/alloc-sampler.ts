// Preloaded into the bot to sample what it allocates under load, garbage included (V8's sampling heap
// profiler keeps only live objects unless told otherwise, which hides short-lived turn garbage).
// Samples from ALLOC_SAMPLE_AFTER_MS (7000) for ALLOC_SAMPLE_MS (6000), then writes
// test-output/alloc-<pid>.heapprofile. Read it with test/bench/alloc-top.ts. With bench:load:
//   npx tsx test/bench/load.ts --targets bot --conversations 0 --duration 10 --compiled \
//     --node-options="-r tsx/cjs -r ./test/bench/alloc-sampler.ts"
// (the bot gets no environment from bench:load but PATH and HOME, so the defaults are what it uses).
import fs from 'node:fs';
import inspector from 'node:inspector';
import path from 'node:path';

const after = Number(process.env.ALLOC_SAMPLE_AFTER_MS ?? 7000);
const span = Number(process.env.ALLOC_SAMPLE_MS ?? 6000);
const session = new inspector.Session();
session.connect();
setTimeout(() => {
  session.post('HeapProfiler.startSampling', { samplingInterval: 16384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true }, (error) => {
    if (error) return console.error('alloc sampler:', error.message);
    setTimeout(() => {
      session.post('HeapProfiler.stopSampling', (stopError, result) => {
        if (stopError) return console.error('alloc sampler:', stopError.message);
        const out = path.resolve(__dirname, '..', '..', 'test-output', `alloc-${process.pid}.heapprofile`);
        fs.mkdirSync(path.dirname(out), { recursive: true });
        fs.writeFileSync(out, JSON.stringify(result.profile));
        console.error(`alloc sampler: ${span} ms of allocations in ${out}`);
      });
    }, span).unref();
  });
}, after).unref();
