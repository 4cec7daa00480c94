// Starts the real app (restify, CloudAdapter, SQLite in a temp dir) on a free loopback port.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { buildApp, App, AppOverrides } from '../../bot/app';
import { parseConfig } from '../../bot/config';
import { createLogger } from '../../bot/logger';
import { CaptureConnector } from './capture-connector';

export interface RunningBot {
  app: App;
  url: string;
  dataDir: string;
  /** Every log line the bot wrote, for assertions about what is (not) logged. */
  logs: string[];
  stop(): Promise<void>;
}

export async function startTestBot(env: Record<string, string> = {}, overrides: AppOverrides = {}): Promise<RunningBot> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-test-'));
  const config = { ...parseConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'debug', ...env }), port: 0, host: '127.0.0.1' };
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const app = await buildApp(config, createLogger(config.logLevel, sink), overrides);
  const { url } = await app.listen();
  return {
    app,
    url,
    dataDir,
    logs,
    stop: async () => {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A loopback channel connector and a bot for the enclosing mocha suite: both start in its `before`
 * and stop in its `after`. The bot object is filled in when it has started.
 */
export function useBotWithConnector(env: Record<string, string> = {}, overrides: AppOverrides = {}): { bot: RunningBot; connector: CaptureConnector } {
  const connector = new CaptureConnector();
  const bot = {} as RunningBot;
  before(async () => {
    await connector.start();
    Object.assign(bot, await startTestBot(env, overrides));
  });
  after(async () => {
    await bot.stop?.();
    await connector.stop();
  });
  return { bot, connector };
}

/** A loopback channel connector and a bot for one test: `work` runs with both, and both stop after it. */
export async function withBotAndConnector<T>(env: Record<string, string>, overrides: AppOverrides, work: (bot: RunningBot, connector: CaptureConnector) => Promise<T>): Promise<T> {
  const connector = new CaptureConnector();
  await connector.start();
  try {
    const bot = await startTestBot(env, overrides);
    try {
      return await work(bot, connector);
    } finally {
      await bot.stop();
    }
  } finally {
    await connector.stop();
  }
}
