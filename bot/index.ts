// Entry point: read config, build the app, listen, and stop cleanly on SIGTERM/SIGINT.
import { ConfigError, parseConfig, readEnvironment } from './config';
import { createLogger } from './logger';
import { buildApp } from './app';

async function main(): Promise<void> {
  let config;
  try {
    config = parseConfig(readEnvironment(process.env));
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Configuration error: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  if (config.localMode) {
    logger.warn('No MicrosoftAppId set: local mode, Bot Framework authentication is OFF. Use this only on your own machine.');
  }

  const app = await buildApp(config, logger);
  const { url } = await app.listen();
  // From process start, so module loading and model loading count too.
  const coldStartMs = Math.round(process.uptime() * 1000);
  const database = config.databaseUrl ? 'postgresql' : 'sqlite';
  logger.info({ url, dataDir: config.dataDir, database, coldStartMs, localMode: config.localMode }, 'listening');
  console.log(
    [
      `Support bot listening on ${url} (ready in ${coldStartMs} ms; data in ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : config.dataDir})`,
      `  Bot Framework endpoint: ${url}/api/messages`,
      `  Talk to it: in the Bot Framework Emulator choose "Open Bot", enter ${url}/api/messages`,
      `  and leave the app id and password empty. Health: ${url}/healthz  Readiness: ${url}/readyz`,
    ].join('\n'),
  );

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.warn('in-flight requests did not finish within 10 s; exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    void app.close().then(() => {
      logger.info('stopped');
      process.exit(0);
    });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err) => {
  // Startup failures are operator-facing; keep the reason, drop the noise.
  console.error(`Startup failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
