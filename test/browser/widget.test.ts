// The web chat widget as a person uses it, in Debian's Chromium: open it with the launcher, ask in
// English and Korean, reload and keep the conversation, and send markup that must stay inert.
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { RunningBot, startTestBot } from '../support/test-bot';
import { launchBrowser, screenshotPath } from '../support/browser';
import { codeFromMail } from '../support/mail';
import fs from 'node:fs';
import path from 'node:path';

describe('web chat widget in Chromium', function () {
  this.timeout(120_000);
  let bot: RunningBot;
  let browser: BrowserContext;
  let close: () => Promise<void>;
  const dialogs: string[] = [];
  const errors: string[] = [];

  before(async function () {
    ({ browser, close } = await launchBrowser(this));
    bot = await startTestBot();
  });
  after(async () => {
    await close?.();
    await bot?.stop();
  });

  async function openPage(query = ''): Promise<Page> {
    const page = await browser.newPage();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${bot.url}/${query}`);
    return page;
  }

  async function ask(page: Page, text: string): Promise<void> {
    const box = page.getByRole('textbox').last();
    await box.fill(text);
    await box.press('Enter');
  }

  it('opens from the launcher and answers the Australian number in English, then in Korean', async () => {
    const page = await openPage();
    const launcher = page.getByRole('button', { name: /support chat/i });
    await launcher.click();
    await page.getByRole('textbox').last().waitFor({ timeout: 30_000 });
    await ask(page, 'support phone number in Australia');
    await page.getByText(/1800 197 503/).first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: screenshotPath('widget-en-australia') });

    const ko = await openPage('?lang=ko');
    await ko.getByRole('button', { name: /지원 채팅/ }).click();
    await ko.getByRole('textbox').last().waitFor({ timeout: 30_000 });
    await ask(ko, '호주 지원 전화번호 알려줘');
    await ko.getByText(/1800 197 503/).first().waitFor({ timeout: 30_000 });
    await ko.screenshot({ path: screenshotPath('widget-ko-australia') });
    assert.deepEqual(errors, []);
  });

  it('submits a card: the search results card\'s "Yes" button', async () => {
    const page = await openPage();
    await page.getByRole('button', { name: /support chat/i }).click();
    await page.getByRole('textbox').last().waitFor({ timeout: 30_000 });
    await ask(page, 'how do I create a shared mailbox?');
    const yes = page.getByRole('button', { name: 'Yes, thanks' }).first();
    await yes.waitFor({ timeout: 30_000 });
    await yes.click();
    await page.getByText(/Glad that helped/).first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: screenshotPath('widget-card-submit') });
  });

  it('fills and submits the request form card after verifying with the emailed code', async () => {
    const page = await openPage();
    await page.getByRole('button', { name: /support chat/i }).click();
    await page.getByRole('textbox').last().waitFor({ timeout: 30_000 });
    await ask(page, 'verify');
    await page.getByText(/Which organisation/).first().waitFor({ timeout: 30_000 });
    await ask(page, 'contoso.example');
    await page.getByText(/one-time code/).first().waitFor({ timeout: 30_000 });
    await ask(page, 'Email');
    await page.getByText(/a•••@contoso\.example/).first().waitFor({ timeout: 30_000 });
    const outbox = path.join(bot.dataDir, 'outbox');
    const newest = fs.readdirSync(outbox).filter((f) => f.endsWith('.eml')).sort().pop()!;
    await ask(page, codeFromMail(fs.readFileSync(path.join(outbox, newest), 'utf8')));
    // Web Chat renders "you're" with a typographic apostrophe.
    await page.getByText(/verified/).first().waitFor({ timeout: 30_000 });
    await ask(page, 'new request');
    await page.getByRole('button', { name: 'None of these' }).last().click();
    const description = page.getByRole('textbox', { name: /What's the problem/ }).last();
    await description.waitFor({ timeout: 30_000 });
    await description.fill('Users in the Sydney office cannot join Teams meetings since 9 AM.');
    await page.screenshot({ path: screenshotPath('widget-request-form') });
    await page.getByRole('button', { name: 'Contact me' }).last().click();
    await page.getByText(/Request \d{4}-\d{6} is open/).first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: screenshotPath('widget-request-created') });
    const rows = await bot.app.db.all<{ description: string }>('SELECT description, category, severity FROM requests');
    assert.ok(rows.some((r) => r.description.startsWith('Users in the Sydney office')));
  });

  it('keeps the conversation after a reload', async () => {
    const page = await openPage();
    await page.getByRole('button', { name: /support chat/i }).click();
    await page.getByRole('textbox').last().waitFor({ timeout: 30_000 });
    await ask(page, 'what are the billing support hours in the United Kingdom?');
    await page.getByText(/billing/i).nth(1).waitFor({ timeout: 30_000 });
    await page.reload();
    // The widget reopens itself with the saved conversation.
    await page.getByText('what are the billing support hours in the United Kingdom?').first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: screenshotPath('widget-after-reload') });
  });

  it('renders markup and script links in messages inert', async () => {
    const page = await openPage();
    await page.getByRole('button', { name: /support chat/i }).click();
    await page.getByRole('textbox').last().waitFor({ timeout: 30_000 });
    await ask(page, '<img src=x onerror=alert(1)> [x](javascript:alert(1))');
    await page.getByText(/onerror|couldn't find|not sure|help article/i).first().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(1000);
    assert.deepEqual(dialogs, [], 'no alert ran');
    assert.equal(await page.locator('img[src="x"]').count(), 0, 'no img element from user text');
    assert.equal(await page.locator('a[href^="javascript:"]').count(), 0, 'no javascript: link');
    await page.screenshot({ path: screenshotPath('widget-inert-markup') });
  });

  it('can be opened and closed with the keyboard, with focus returning to the launcher', async () => {
    const page = await openPage();
    const launcher = page.getByRole('button', { name: /open support chat/i });
    await launcher.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Microsoft 365 support' }).waitFor();
    await page.getByRole('textbox').last().waitFor({ timeout: 30_000 });
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'Microsoft 365 support' }).waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-controls')), 'm365s-panel');
  });
});
