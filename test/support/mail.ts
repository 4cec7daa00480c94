// Reads the one-time code out of a raw email (an outbox .eml or what an SMTP server received), and a
// loopback SMTP server that keeps every message it receives.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
/** The body only (headers such as Message-ID can hold digits), with quoted-printable line breaks undone. */
export function codeFromMail(raw: string): string {
  const body = raw.split(/\r?\n\r?\n/).slice(1).join('\n').replace(/=\r?\n/g, '');
  const code = /\bis (\d{6})\./.exec(body)?.[1];
  if (!code) throw new Error('no code in the mail body');
  return code;
}

/** An SMTP server on 127.0.0.1 that accepts everything; `received` holds each raw message. */
export async function startSmtpCapture(): Promise<{ url: string; received: string[]; stop(): Promise<void> }> {
  const received: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, done) {
      let data = '';
      stream.on('data', (c: Buffer) => (data += c.toString('utf8')));
      stream.on('end', () => (received.push(data), done()));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    received,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
