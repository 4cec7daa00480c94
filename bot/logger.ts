import { format } from 'node:util';
import pino, { Logger } from 'pino';
import { maskEmail } from './pin/mask';

export type { Logger };

// Secrets and anything that could carry a one-time code are never written.
const REDACT = [
  'auth.appPassword',
  'appPassword',
  'MicrosoftAppPassword',
  'password',
  'code',
  'pin',
  'smtpUrl',
  'requestApiToken',
  'REQUEST_API_TOKEN',
  'tokenSecret',
  'DIRECT_LINE_TOKEN_SECRET',
  'DIRECT_LINE_SECRET',
  'azureSecret',
  'token',
  'SMTP_URL',
  'headers.authorization',
  'req.headers.authorization',
];

// Values as well as keys: whatever the field, text in a log line loses emails, phone numbers and codes.
const DOT = '\u2022';
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
/**
 * Request numbers (2026-000123) and dates (2026-11-24) are kept as they are; anything else with 8 or
 * more digits, maybe a leading + and single separators (space, dot, dash, brackets) between them,
 * is a phone number. Neither may be part of a longer word or number (ids, hashes, UUIDs, times).
 */
const PHONE = /(?<![\w.+-])(?:(\d{4}-(?:\d{6}|\d{2}-\d{2}))(?![\w]|[.:-]\d)|\+?\(?\d(?:[ .()-]{0,2}\d){7,}(?![\w]|[.:-]\d))/g;
/** A one-time code: six digits (ASCII or full-width) standing alone, not inside a request number, a decimal or a time. */
const CODE = /(?<![\w+\-\uFF10-\uFF19]|\d[.,:])[0-9\uFF10-\uFF19]{6}(?![\w\uFF10-\uFF19]|[-.,:]\d)/g;
const MAY_HOLD = /[\d@\uFF10-\uFF19]/;

/** Masks emails (j•••@contoso.com), phone numbers (+•••00) and 6-digit codes ([code]) in free text. */
export function redactText(text: string): string {
  if (!MAY_HOLD.test(text)) return text;
  return text
    .replace(EMAIL, (email) => maskEmail(email))
    .replace(PHONE, (run, kept: string | undefined) => (kept ? run : `${run.startsWith('+') ? '+' : ''}${DOT.repeat(3)}${run.replace(/\D/g, '').slice(-2)}`))
    .replace(CODE, '[code]');
}

const MAX_DEPTH = 12;

/** The same value with every string redacted; errors become pino's serialized shape (type, message, stack, causes). */
export function redactValue(value: unknown, parents: object[] = []): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (parents.includes(value)) return '[Circular]';
  if (parents.length >= MAX_DEPTH) return '[too deep]';
  if (value instanceof Date || Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return value;
  const inner = [...parents, value];
  if (value instanceof Error) {
    const serialized = pino.stdSerializers.err(value) as unknown as Record<string, unknown>;
    return Object.fromEntries(Object.keys(serialized).map((k) => [k, redactValue(serialized[k], inner)]));
  }
  const withJson = value as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === 'function') {
    const json = withJson.toJSON();
    return json === value ? json : redactValue(json, inner);
  }
  if (Array.isArray(value)) return value.map((v) => redactValue(v, inner));
  return Object.fromEntries(Object.keys(value).map((k) => [k, redactValue((value as Record<string, unknown>)[k], inner)]));
}

/**
 * The message pino would write, redacted: format arguments are applied first (so a code passed as
 * `%s` is caught), and a message taken from an error is given explicitly.
 */
function redactArgs(args: unknown[]): unknown[] {
  const [first, ...rest] = args;
  if (typeof first === 'string') return [redactText(rest.length ? format(first, ...rest) : first)];
  if (first === null || typeof first !== 'object') return args;
  const [msg, ...params] = rest;
  if (typeof msg === 'string') return [first, redactText(params.length ? format(msg, ...params) : msg)];
  if (msg !== undefined) return args;
  // pino uses the error's message when none is given: give it, redacted.
  const err = first instanceof Error ? first : (first as { err?: unknown }).err;
  const message = (first as { msg?: unknown }).msg === undefined && err && typeof (err as Error).message === 'string' ? (err as Error).message : undefined;
  return message === undefined ? [first] : [first, redactText(message)];
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const logger = pino(
    {
      level,
      redact: { paths: REDACT, censor: '[redacted]' },
      base: { service: 'admin-support-bot' },
      hooks: {
        logMethod(args, method) {
          return method.apply(this, redactArgs(args) as Parameters<typeof method>);
        },
      },
      formatters: {
        log: (object) => redactValue(object) as Record<string, unknown>,
        bindings: (bindings) => redactValue(bindings) as Record<string, unknown>,
      },
      // Errors arrive already serialized and redacted by formatters.log.
      serializers: { err: (err: unknown) => (err instanceof Error ? redactValue(err) : err) },
    },
    destination,
  );
  // pino applies formatters.bindings to the root's bindings only: a child's are redacted here
  // (children inherit this child(), so grandchildren too).
  const child = logger.child;
  logger.child = function redactedChild(this: Logger, bindings, options) {
    return child.call(this, redactValue(bindings) as typeof bindings, options);
  } as typeof child;
  return logger;
}
