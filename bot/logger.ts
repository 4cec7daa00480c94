import pino, { Logger } from 'pino';

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

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' }, base: { service: 'admin-support-bot' } }, destination);
}
