// Every log line loses emails, phone numbers and one-time codes, wherever they are: the message,
// format arguments, nested fields, arrays, errors (message, stack, causes, extra fields) and child
// bindings. Timestamps, dates, request numbers, ids and numeric fields come through unchanged.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger, redactText } from '../../bot/logger';
import { readable } from '../support/capture-connector';
import { postJson } from '../support/http-client';
import { withBotAndConnector } from '../support/test-bot';
import type { Understander } from '../../dialogs/services';

function capture() {
  const lines: string[] = [];
  const logger = createLogger('debug', new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) }));
  const last = () => JSON.parse(lines[lines.length - 1]) as Record<string, unknown> & { msg?: string; err?: Record<string, unknown> };
  return { logger, lines, last };
}

const EMAIL = 'jane.doe@contoso.example';
const PHONE = '+1 425 555 0100';
const CODE = '482913';
const RAW = [EMAIL, 'jane.doe', '425 555 0100', '4255550100', CODE];

function assertClean(line: string): void {
  for (const raw of RAW) assert.ok(!line.includes(raw), `"${raw}" must not be in ${line}`);
}

describe('log redaction', () => {
  describe('free text', () => {
    const cases: [string, string][] = [
      [`write to ${EMAIL} please`, 'write to j\u2022\u2022\u2022@contoso.example please'],
      [`call ${PHONE} or (425) 555-0100`, 'call +\u2022\u2022\u202200 or \u2022\u2022\u202200'],
      ['Korean mobile 010-1234-5678', 'Korean mobile \u2022\u2022\u202278'],
      [`my code is ${CODE}.`, 'my code is [code].'],
      ['full-width \uff14\uff18\uff12\uff19\uff11\uff13', 'full-width [code]'],
      ['/verify?code=482913&x=1', '/verify?code=[code]&x=1'],
    ];
    for (const [input, expected] of cases) {
      it(`masks ${JSON.stringify(input)}`, () => assert.equal(redactText(input), expected));
    }

    const kept = [
      '2026-11-24T03:00:00.123Z',
      'opens 2026-11-24 09:00 (Asia/Seoul)',
      'request 2026-000123 and 2026-000124',
      'status of 2026-000001 2026-000002',
      'handoff 550e8400-e29b-41d4-a716-446655440000',
      'hash 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      '/tmp/bot-test-123456/outbox/2026-11-24T03-00-00-123Z-12345678.eml',
      'took 0.123456 s at 10:20:30',
      'conversation pin-123456, activity a-4821',
      'sent to j\u2022\u2022\u2022@contoso.example and +1 \u2022\u2022\u2022 \u2022\u2022\u2022 0100',
      'Teams 29:1a2b3c4d5e6f7081920',
      '12345 sections in 250 ms',
    ];
    for (const input of kept) {
      it(`keeps ${JSON.stringify(input)}`, () => assert.equal(redactText(input), input));
    }
  });

  describe('log lines', () => {
    it('redacts the message and its format arguments', () => {
      const { logger, lines, last } = capture();
      logger.info(`user ${EMAIL} typed ${CODE}`);
      assert.equal(last().msg, 'user j\u2022\u2022\u2022@contoso.example typed [code]');
      logger.warn({ event: 'x' }, 'calling %s about %s', PHONE, CODE);
      assert.equal(last().msg, 'calling +\u2022\u2022\u202200 about [code]');
      lines.forEach(assertClean);
    });

    it('redacts nested fields and arrays, and keeps numbers, dates and request numbers', () => {
      const { logger, lines, last } = capture();
      logger.info(
        {
          request: '2026-000123',
          at: '2026-11-24T03:00:00.000Z',
          latencyMs: 12345678,
          count: 100000,
          ok: true,
          contact: { email: EMAIL, phones: [PHONE, '+82 10 1234 5678'], note: `code ${CODE}` },
          history: [{ text: `mail ${EMAIL}` }, null, 3],
        },
        'saved',
      );
      const line = last();
      assert.equal(line.request, '2026-000123');
      assert.equal(line.at, '2026-11-24T03:00:00.000Z');
      assert.equal(line.latencyMs, 12345678, 'numeric fields are not text');
      assert.equal(line.count, 100000, "a six-digit number field is a number, not a code");
      assert.equal(line.ok, true);
      assert.deepEqual(line.contact, { email: 'j\u2022\u2022\u2022@contoso.example', phones: ['+\u2022\u2022\u202200', '+\u2022\u2022\u202278'], note: 'code [code]' });
      assert.deepEqual(line.history, [{ text: 'mail j\u2022\u2022\u2022@contoso.example' }, null, 3]);
      assert.equal(typeof line.time, 'number', "pino's own timestamp is untouched");
      lines.forEach(assertClean);
    });

    it('still censors secret keys whatever their value', () => {
      const { logger, last } = capture();
      logger.info({ code: 'abc', token: 'xyz', password: 'p', headers: { authorization: 'Bearer t' } }, 'secrets');
      const line = last();
      assert.equal(line.code, '[redacted]');
      assert.equal(line.token, '[redacted]');
      assert.equal(line.password, '[redacted]');
      assert.deepEqual(line.headers, { authorization: '[redacted]' });
    });

    it("redacts errors: message, stack, causes and extra fields, logged as err, alone or nested", () => {
      const { logger, lines, last } = capture();
      const error = Object.assign(new Error(`could not mail ${EMAIL} the code ${CODE}`, { cause: new Error(`SMS to ${PHONE} failed`) }), { detail: { to: EMAIL }, statusCode: 502 });

      logger.error({ err: error, request: '2026-000123' }, 'delivery failed');
      let line = last();
      assert.equal(line.msg, 'delivery failed');
      assert.equal(line.request, '2026-000123');
      assert.equal(line.err!.type, 'Error');
      assert.equal(line.err!.message, 'could not mail j\u2022\u2022\u2022@contoso.example the code [code]: SMS to +\u2022\u2022\u202200 failed');
      assert.match(String(line.err!.stack), /^Error: could not mail j\u2022\u2022\u2022@contoso\.example the code \[code\]\n\s+at /);
      assert.match(String(line.err!.stack), /caused by: Error: SMS to \+\u2022\u2022\u202200 failed/);
      assert.deepEqual(line.err!.detail, { to: 'j\u2022\u2022\u2022@contoso.example' });
      assert.equal(line.err!.statusCode, 502);

      logger.error(error);
      line = last();
      assert.equal(line.msg, 'could not mail j\u2022\u2022\u2022@contoso.example the code [code]', "the message pino takes from the error");
      assert.equal(line.err!.type, 'Error');

      logger.warn({ err: new TypeError(`bad ${CODE}`) });
      assert.equal(last().msg, 'bad [code]');

      logger.warn({ failure: new RangeError(`no route to ${PHONE}`) }, 'nested');
      const nested = last().failure as Record<string, unknown>;
      assert.equal(nested.type, 'RangeError');
      assert.equal(nested.message, 'no route to +\u2022\u2022\u202200');
      lines.forEach(assertClean);
    });

    it('redacts child bindings and survives cycles', () => {
      const { logger, lines, last } = capture();
      logger.child({ user: EMAIL }).child({ phone: PHONE }).info('hello');
      assert.equal(last().user, 'j\u2022\u2022\u2022@contoso.example');
      assert.equal(last().phone, '+\u2022\u2022\u202200');
      const loop: Record<string, unknown> = { text: CODE };
      loop.self = loop;
      logger.info({ loop }, 'cycle');
      assert.deepEqual(last().loop, { text: '[code]', self: '[Circular]' });
      lines.forEach(assertClean);
    });
  });

  describe('on the real server', () => {
    it("redacts a failed turn's error that carries what the user typed", async () => {
      const failing: Understander = {
        threshold: 0.25,
        understand: (text) => {
          throw new Error(`model failed on "${text}"`);
        },
      };
      await withBotAndConnector({}, { understanding: failing }, async (bot, connector) => {
        const response = await postJson(`${bot.url}/api/messages`, {
          type: 'message',
          id: 'fail-1',
          channelId: 'emulator',
          serviceUrl: connector.url,
          conversation: { id: 'fail' },
          from: { id: 'user-1' },
          recipient: { id: 'bot' },
          locale: 'en-US',
          text: `I am ${EMAIL}, call ${PHONE}, my code was ${CODE}`,
        });
        assert.ok(response.status >= 200 && response.status < 600);
        assert.ok(connector.activities('fail').map(readable).join('\n').length > 0, 'the user was told');
        const failed = bot.logs.find((l) => l.includes('turn failed'));
        assert.ok(failed, 'the failure is logged');
        assert.match(failed, /model failed on \\"I am j\u2022\u2022\u2022@contoso\.example, call \+\u2022\u2022\u202200, my code was \[code\]\\"/);
        bot.logs.forEach(assertClean);
      });
    });
  });
});
