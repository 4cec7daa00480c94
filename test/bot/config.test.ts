import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, parseConfig, readEnvironment } from '../../bot/config';

describe('config', () => {
  const cwd = '/srv/bot';

  it('uses embedded defaults with nothing set', () => {
    const config = parseConfig({}, cwd);
    assert.equal(config.port, 3978);
    assert.equal(config.dataDir, '/srv/bot/data');
    assert.equal(config.logLevel, 'info');
    assert.equal(config.defaultLocale, 'en');
    assert.equal(config.maxBodyBytes, 256 * 1024);
    assert.equal(config.localMode, true);
    assert.equal(config.host, '127.0.0.1', 'local mode listens on loopback only');
  });

  it('reads the standard Bot Framework variable names', () => {
    const config = parseConfig(
      { MicrosoftAppId: 'app-1', MicrosoftAppPassword: 's3cret', MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: 'tenant-1' },
      cwd,
    );
    assert.deepEqual(config.auth, { appId: 'app-1', appPassword: 's3cret', appType: 'SingleTenant', tenantId: 'tenant-1', tokenTimeoutMs: 10_000 });
    assert.equal(config.localMode, false);
    assert.equal(config.host, '0.0.0.0');
  });

  const bad: [string, Record<string, string>][] = [
    ['PORT', { PORT: 'eighty' }],
    ['PORT', { PORT: '70000' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
    ['DEFAULT_LOCALE', { DEFAULT_LOCALE: 'fr-FR' }],
    ['MicrosoftAppType', { MicrosoftAppType: 'Anything' }],
    ['AAD_TOKEN_TIMEOUT_SECONDS', { AAD_TOKEN_TIMEOUT_SECONDS: '0' }],
    ['MicrosoftAppId', { NODE_ENV: 'production' }],
    ['MicrosoftAppPassword', { MicrosoftAppId: 'app-1' }],
    ['MicrosoftAppTenantId', { MicrosoftAppId: 'a', MicrosoftAppPassword: 'p', MicrosoftAppType: 'SingleTenant' }],
    ['KNOWLEDGE_DIRS', { KNOWLEDGE_DIRS: '/no/such/folder/anywhere' }],
    ['PUBLIC_URL', { PUBLIC_URL: 'ftp://example.com' }],
    ['PUBLIC_URL', { PUBLIC_URL: 'not a url' }],
  ];
  for (const [variable, env] of bad) {
    it(`names ${variable} when ${JSON.stringify(env)} is invalid`, () => {
      assert.throws(
        () => parseConfig(env, cwd),
        (err: unknown) => err instanceof ConfigError && err.variable === variable && err.message.startsWith(`${variable}:`),
      );
    });
  }

  it('reads DATABASE_URL, and never echoes a rejected URL or secret back', () => {
    assert.equal(parseConfig({ DATABASE_URL: 'postgres://bot:pw@db.internal:5432/support' }, cwd).databaseUrl, 'postgres://bot:pw@db.internal:5432/support');
    assert.equal(parseConfig({}, cwd).databaseUrl, undefined);
    for (const env of [{ DATABASE_URL: 'mysql://bot:hunter2@db/x' }, { SMTP_URL: 'http://u:hunter2@mail' }, { METRICS_TOKEN: 'hunter2' }]) {
      assert.throws(
        () => parseConfig(env, cwd),
        (err: unknown) => err instanceof ConfigError && !err.message.includes('hunter2') && /not shown/.test(err.message),
      );
    }
  });

  it('reads KNOWLEDGE_DIRS as a path list and derives PUBLIC_URL from the port', () => {
    const dir = fs.realpathSync(os.tmpdir());
    const config = parseConfig({ KNOWLEDGE_DIRS: `${dir}${path.delimiter} ${dir} `, PORT: '4000' }, cwd);
    assert.deepEqual(config.knowledgeDirs, [dir, dir]);
    assert.equal(config.publicUrl, 'http://localhost:4000');
    assert.equal(parseConfig({ PUBLIC_URL: 'https://bot.example.com/' }, cwd).publicUrl, 'https://bot.example.com');
  });

  it('accepts a full locale tag for DEFAULT_LOCALE', () => {
    assert.equal(parseConfig({ DEFAULT_LOCALE: 'ko-KR' }, cwd).defaultLocale, 'ko');
  });

  it('reads .env, with the real environment winning', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfg-'));
    fs.writeFileSync(path.join(dir, '.env'), 'PORT=4001\nLOG_LEVEL=debug\n');
    const env = readEnvironment({ PORT: '4002' }, dir);
    const config = parseConfig(env, dir);
    assert.equal(config.port, 4002);
    assert.equal(config.logLevel, 'debug');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
