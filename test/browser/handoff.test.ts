/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// Handoff end to end in Debian's Chromium, two pages on one real bot: a user in the web chat widget
// and an agent in the console. Position and wait, accept, a PIN the agent sees only as "verified",
// messages both ways (agent markup inert for the user), and the bot answering again after the end.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { RunningBot, startTestBot } from '../support/test-bot';
import { launchBrowser, screenshotPath } from '../support/browser';
import { codeFromMail } from '../support/mail';
import { AgentStore } from '../../bot/agents/agents';

const PASSWORD = 'handoff console passphrase';

describe('handoff in Chromium: web chat user and console agent', function () {
  this.timeout(180_000);
  let bot: RunningBot;
  let browser: BrowserContext;
  let close: () => Promise<void>;
  const errors: string[] = [];
  const dialogs: string[] = [];

  before(async function () {
    ({ browser, close } = await launchBrowser(this));
    bot = await startTestBot();
    const agents = new AgentStore(bot.app.db);
    await agents.add({ name: 'Mina', languages: ['en', 'ko'], password: PASSWORD });
    // Online before the user asks, so the card shows a wait from the model rather than "no agent".
    await agents.setPresence('Mina', 'online');
  });
  after(async () => {
    await close?.();
    await bot?.stop();
  });

  async function newPage(url: string): Promise<Page> {
    const page = await browser.newPage();
    // Generous: CI shares two cores between Chromium, the bot and scrypt.
    page.setDefaultTimeout(60_000);
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(url);
    return page;
  }
  const byTest = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);

  async function ask(page: Page, text: string): Promise<void> {
    const box = page.getByRole('textbox').last();
    await box.fill(text);
    await box.press('Enter');
  }

  it('queues, connects, verifies, relays and hands back', async () => {
    // 1. The user asks for an agent and sees a position and a wait.
    const user = await newPage(`${bot.url}/`);
    await user.getByRole('button', { name: /support chat/i }).click();
    await user.getByRole('textbox').last().waitFor({ timeout: 30_000 });
    await ask(user, 'I want to talk to a real person');
    await user.getByText(/You're in the queue for a support agent/).first().waitFor({ timeout: 30_000 });
    const card = await user.locator('.ac-adaptiveCard').last().innerText();
    assert.match(card, /Your place\s*1/);
    // One agent online, one arrival this hour, 12-minute handle time: Erlang C gives 3 minutes.
    assert.match(card, /Expected wait\s*about 3 min/);
    await user.screenshot({ path: screenshotPath('handoff-user-queued') });

    // 2. The agent logs in, accepts, and sends a PIN.
    const agent = await newPage(`${bot.url}/agent`);
    await byTest(agent, 'login-name').fill('Mina');
    await byTest(agent, 'login-password').fill(PASSWORD);
    await byTest(agent, 'login-submit').click();
    const waiting = byTest(agent, 'waiting-item').first();
    await waiting.waitFor({ timeout: 30_000 });
    await waiting.click();
    await agent.waitForFunction(() => [...document.querySelectorAll('[data-testid="transcript-entry"]')].some((e) => e.textContent?.includes('talk to a real person')));
    assert.match(await byTest(agent, 'summary').locator('[data-field="trigger"]').innerText(), /asked for a person/);
    await waiting.locator('[data-testid="accept"]').click();
    await byTest(agent, 'mine-item').first().waitFor({ timeout: 30_000 });
    await user.getByText(/Mina from support has joined/).first().waitFor({ timeout: 30_000 });
    // The queue card was replaced in place: it now says who is with the user, and no position.
    await user.getByText(/Mina from support is with you/).first().waitFor({ timeout: 30_000 });
    assert.equal(await user.getByText(/Your place/).count(), 0, 'the queue card was updated, not repeated');

    await byTest(agent, 'pin-organisation').fill('contoso.example');
    await byTest(agent, 'pin-send').click();
    await agent.waitForFunction(() => /Code sent to a\u2022\u2022\u2022@contoso\.example/.test(document.querySelector('[data-testid="pin-status"]')?.textContent ?? ''));
    await user.getByText(/I sent a one-time code/).first().waitFor({ timeout: 30_000 });
    const outbox = path.join(bot.dataDir, 'outbox');
    const newest = fs.readdirSync(outbox).filter((f) => f.endsWith('.eml')).sort().pop()!;
    const code = codeFromMail(fs.readFileSync(path.join(outbox, newest), 'utf8'));
    await ask(user, code);
    await user.getByText(/that code matches/).first().waitFor({ timeout: 30_000 });
    await agent.waitForFunction(() => document.querySelector('[data-testid="pin-status"]')?.getAttribute('data-status') === 'verified');
    assert.ok(!(await agent.content()).includes(code), 'the agent never sees the code');

    // 3. Messages flow both ways, typing too; the agent's markup reaches the user as inert text.
    await user.getByRole('textbox').last().pressSequentially('Our mail', { delay: 50 });
    await byTest(agent, 'typing-indicator').waitFor({ state: 'visible', timeout: 30_000 });
    await byTest(agent, 'chat-input').pressSequentially('Let me', { delay: 50 });
    await user.locator('.webchat__typing-indicator').first().waitFor({ state: 'attached', timeout: 30_000 });
    await byTest(agent, 'chat-input').fill('');
    await ask(user, 'Our mail to gmail bounces since 9am');
    await agent.waitForFunction(() =>
      [...document.querySelectorAll('[data-testid="transcript-entry"][data-role="user"]')].some((e) => e.textContent?.includes('mail to gmail bounces')),
    );
    await byTest(agent, 'chat-input').fill('Checking now. <b>bold</b> <img src=x onerror="window.pwned=1"> <a href="javascript:window.pwned=2">click me</a> [link](javascript:window.pwned=3)');
    await byTest(agent, 'chat-send').click();
    await user.getByText(/Checking now\. bold/).first().waitFor({ timeout: 30_000 });
    // The agent sees what the user got, once: the sanitised text replaces the one typed.
    await agent.waitForFunction(() => {
      const mine = [...document.querySelectorAll('[data-testid="transcript-entry"][data-role="agent"]')];
      return mine.length === 1 && !mine[0].classList.contains('pending') && !mine[0].textContent?.includes('<b>');
    });
    const webchat = user.locator('.webchat__basic-transcript');
    assert.equal(await webchat.locator('a[href^="javascript:" i], img[src="x"], b').count(), 0, 'no element came from the agent text');
    assert.equal(await user.evaluate(() => (window as unknown as { pwned?: number }).pwned), undefined);
    await user.screenshot({ path: screenshotPath('handoff-user-chatting') });
    await agent.screenshot({ path: screenshotPath('handoff-agent-console') });

    // 4. The agent ends the handoff, and the bot answers again.
    await byTest(agent, 'end').click();
    await byTest(agent, 'end-confirm').click();
    await agent.waitForFunction(() => document.querySelector('[data-testid="detail-status"]')?.textContent === 'ended');
    await user.getByText(/Mina ended the chat/).first().waitFor({ timeout: 30_000 });
    await ask(user, 'support phone number in Australia');
    await user.getByText(/1800 197 503/).first().waitFor({ timeout: 30_000 });
    await user.screenshot({ path: screenshotPath('handoff-user-back-to-bot') });

    // The dashboard draws this handoff from the real backend: one handoff, accepted after a wait.
    await byTest(agent, 'nav-dashboard').click();
    const totals = await agent.waitForFunction(() => {
      const w = window as unknown as { Chart?: { getChart(c: Element): { data: { datasets: { label?: string; data: (number | null)[] }[] } } | undefined } };
      const handoffs = w.Chart?.getChart(document.getElementById('chart-handoffs')!);
      const wait = w.Chart?.getChart(document.getElementById('chart-wait')!);
      if (!handoffs || !wait) return undefined;
      // No named helpers in here: the bundler would wrap them in a function the page lacks.
      return { handoffs: handoffs.data.datasets[0].data.reduce<number>((a, b) => a + (b ?? 0), 0), waitPoints: wait.data.datasets[0].data.filter((x) => x !== null).length };
    });
    assert.deepEqual(await totals.jsonValue(), { handoffs: 1, waitPoints: 1 });
    await agent.screenshot({ path: screenshotPath('handoff-agent-dashboard') });

    assert.deepEqual(errors, []);
    assert.deepEqual(dialogs, []);
  });
});
