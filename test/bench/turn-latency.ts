// npm run bench:turn — cold start to listening, and turn latency through /api/messages, on loopback.
// Baseline in the same run: a bare restify endpoint that parses the same activity and POSTs one reply
// to the same capture connector (the floor no bot can beat).
import { performance } from 'node:perf_hooks';
import restify from 'restify';
import { CaptureConnector } from '../support/capture-connector';
import { postJson } from '../support/http-client';
import { freePort, spawnBot, waitUntilListening } from '../support/bot-process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const TURNS = Number(process.env.BENCH_TURNS ?? 400);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 1);
const QUESTIONS = [
  ['en-US', 'what is the support phone number in the united kingdom'],
  ['en-US', 'when is billing support open?'],
  ['en-US', 'why does support ask for a PIN?'],
  ['ko-KR', '미국 지원 전화번호 알려줘'],
  ['ko-KR', '21Vianet 심각도 C 응답 시간'],
  ['en-US', 'we bought through a partner, who do we call?'],
] as const;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

async function measure(url: string, connector: CaptureConnector, label: string) {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  async function worker(w: number) {
    while (next < TURNS) {
      const i = next++;
      const [locale, text] = QUESTIONS[i % QUESTIONS.length];
      const activity = {
        type: 'message', id: `b-${label}-${i}`, channelId: 'emulator', serviceUrl: connector.url,
        conversation: { id: `bench-${label}-${w}-${i}` }, from: { id: `user-${w}` }, recipient: { id: 'bot' }, locale, text,
      };
      const t0 = performance.now();
      const r = await postJson(`${url}/api/messages`, activity);
      latencies.push(performance.now() - t0);
      if (r.status !== 200) errors += 1;
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => worker(w)));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { label, turns: latencies.length, turnsPerSecond: latencies.length / seconds, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), errors };
}

async function floorServer(connectorUrl: string) {
  const server = restify.createServer();
  server.use(restify.plugins.bodyParser({ maxBodySize: 256 * 1024 }));
  server.post('/api/messages', async (req, res) => {
    const a = req.body as { conversation: { id: string }; text: string };
    await postJson(`${connectorUrl}/v3/conversations/${encodeURIComponent(a.conversation.id)}/activities`, { type: 'message', text: a.text });
    res.send(200);
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function main() {
  const connector = new CaptureConnector();
  await connector.start();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-turn-'));
  const port = await freePort();
  const t0 = performance.now();
  // The compiled bot, as `npm start` runs it (build first: npm run build).
  const bot = spawnBot({ PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'error' }, { compiled: true });
  await waitUntilListening(bot, 60_000);
  const coldStart = performance.now() - t0;
  const reported = bot.output().match(/ready in (\d+) ms/)?.[1];

  const floor = await floorServer(connector.url);
  // Warm both paths before measuring (JIT, connection setup, first SQLite pages).
  const warm = Number(process.env.BENCH_WARMUP ?? 30);
  for (let i = 0; i < warm; i++) {
    await postJson(`http://127.0.0.1:${port}/api/messages`, { type: 'message', id: `w${i}`, channelId: 'emulator', serviceUrl: connector.url, conversation: { id: `warm-${i}` }, from: { id: 'w' }, recipient: { id: 'bot' }, locale: 'en-US', text: QUESTIONS[i % QUESTIONS.length][1] });
    await postJson(`${floor.url}/api/messages`, { type: 'message', conversation: { id: `warm-${i}` }, text: 'x' });
  }
  const results = [await measure(floor.url, connector, 'floor'), await measure(`http://127.0.0.1:${port}`, connector, 'bot')];
  bot.child.kill('SIGTERM');
  await bot.exited;
  await floor.close();
  await connector.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });

  console.log(`cold start (spawn of node dist/bot/index.js to listening): ${coldStart.toFixed(0)} ms; the bot's own figure (process start to listening): ${reported ?? '?'} ms`);
  console.log(`turns: ${TURNS}, concurrency ${CONCURRENCY}, loopback`);
  console.log('path    turns/s   p50 ms   p99 ms   errors');
  for (const r of results) {
    console.log(`${r.label.padEnd(6)} ${r.turnsPerSecond.toFixed(1).padStart(8)} ${r.p50.toFixed(2).padStart(8)} ${r.p99.toFixed(2).padStart(8)} ${String(r.errors).padStart(8)}`);
  }
  const [f, b] = results;
  console.log(`bot / floor: p50 x${(b.p50 / f.p50).toFixed(1)}, p99 x${(b.p99 / f.p99).toFixed(1)}, throughput x${(b.turnsPerSecond / f.turnsPerSecond).toFixed(2)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
