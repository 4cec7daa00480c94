// The "My requests" tab in Chromium, outside Teams: no console errors, nothing shown before a
// one-time code, then the organisation's requests.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { RunningBot, startTestBot } from '../support/test-bot';
import { launchBrowser, screenshotPath } from '../support/browser';
import { codeFromMail } from '../support/mail';

describe('My requests tab in Chromium (standalone)', function () {
  this.timeout(120_000);
  let bot: RunningBot;
  let browser: BrowserContext;
  let close: () => Promise<void>;

  before(async function () {
    ({ browser, close } = await launchBrowser(this));
    bot = await startTestBot();
  });
  after(async () => {
    await close?.();
    await bot?.stop();
  });

  it('loads with no console errors, asks for a code, then lists requests', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${bot.url}/tab/my-requests`);
    await page.getByText('Opened outside Teams').waitFor({ timeout: 10_000 });
    assert.equal(await page.locator('#requests').isHidden(), true, 'no requests before verification');
    await page.getByLabel(/Organisation/).fill('contoso.example');
    await page.getByRole('button', { name: 'Send code' }).click();
    await page.getByText(/a\u2022\u2022\u2022@contoso\.example/).waitFor({ timeout: 10_000 });
    const outbox = path.join(bot.dataDir, 'outbox');
    const code = codeFromMail(fs.readFileSync(path.join(outbox, fs.readdirSync(outbox).find((f) => f.endsWith('.eml'))!), 'utf8'));
    await page.getByLabel('6-digit code').fill(code);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByText('No requests yet.').waitFor({ timeout: 10_000 });
    await page.screenshot({ path: screenshotPath('tab-standalone-verified') });
    assert.deepEqual(problems, []);
    const cookie = (await browser.cookies()).find((c) => c.name === 'tab_session');
    assert.ok(cookie?.httpOnly, 'the session cookie is HttpOnly');
    assert.equal(cookie?.sameSite, 'Strict');
  });
});
