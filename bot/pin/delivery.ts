// How a code reaches its registered contact. Email goes through SMTP (nodemailer) when SMTP_URL is
// set; without it, and for SMS until a provider is configured, the message is written to
// DATA_DIR/outbox so a local run works end to end. Log lines name the file, never the code.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Logger } from '../logger';
import { t } from '../../knowledge/i18n';

export interface CodeMessage {
  kind: 'email' | 'sms';
  to: string;
  code: string;
  locale: 'en' | 'ko';
  ttlMinutes: number;
  organisationName: string;
  /** Names this send (a hash of the activity that asked): a send cut short by a crash is recognised. */
  sendId?: string;
}

export interface PinDelivery {
  send(message: CodeMessage): Promise<void>;
  /**
   * Whether the send named `sendId` already went out: the outbox can tell; an SMTP server cannot be
   * asked, so for mail sent over SMTP the answer is undefined.
   */
  delivered?(sendId: string): Promise<boolean | undefined>;
}

/** An SMS gateway; none ships, so texts go to the outbox until one is plugged in here. */
export interface SmsProvider {
  sendText(to: string, text: string): Promise<void>;
}

function texts(message: CodeMessage) {
  const params = { code: message.code, minutes: message.ttlMinutes, organisation: message.organisationName };
  return {
    subject: t(message.locale, 'pin.mail.subject'),
    body: t(message.locale, 'pin.mail.body', params),
    sms: t(message.locale, 'pin.sms.body', params),
  };
}

const SEND_ID = /^[0-9a-f]{8,64}$/;

/** Sorts by time; ends with the send's id so `delivered` can find it. */
function outboxName(extension: string, sendId: string | undefined): string {
  const id = sendId && SEND_ID.test(sendId) ? sendId : crypto.randomBytes(4).toString('hex');
  return `${new Date().toISOString().replace(/[:.]/g, '-')}-${id}.${extension}`;
}

export interface DeliveryOptions {
  dataDir: string;
  smtpUrl?: string;
  from: string;
  logger: Logger;
  sms?: SmsProvider;
}

export function createDelivery(options: DeliveryOptions): PinDelivery {
  const outbox = path.join(options.dataDir, 'outbox');
  const smtp = options.smtpUrl ? nodemailer.createTransport(options.smtpUrl) : undefined;
  // streamTransport renders the same RFC 5322 message SMTP would carry, as a buffer for the outbox.
  const fileMail = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async delivered(sendId) {
      if (!SEND_ID.test(sendId)) return false;
      const files = fs.existsSync(outbox) ? fs.readdirSync(outbox) : [];
      // Texts always go to the outbox; mail does unless a server takes it.
      if (files.some((f) => f.endsWith(`-${sendId}.sms.txt`) || (!smtp && f.endsWith(`-${sendId}.eml`)))) return true;
      return smtp ? undefined : false;
    },
    async send(message) {
      const { subject, body, sms } = texts(message);
      if (message.kind === 'sms') {
        if (options.sms) return options.sms.sendText(message.to, sms);
        fs.mkdirSync(outbox, { recursive: true });
        const file = path.join(outbox, outboxName('sms.txt', message.sendId));
        const temp = path.join(outbox, `.${path.basename(file)}.tmp`);
        fs.writeFileSync(temp, `To: ${message.to}\n\n${sms}\n`, { mode: 0o600 });
        fs.renameSync(temp, file);
        options.logger.info({ event: 'pin.outbox', file }, 'no SMS provider: text message written to the outbox');
        return;
      }
      const mail = { from: options.from, to: message.to, subject, text: body };
      if (smtp) {
        await smtp.sendMail(mail);
        return;
      }
      const rendered = await fileMail.sendMail(mail);
      fs.mkdirSync(outbox, { recursive: true });
      const file = path.join(outbox, outboxName('eml', message.sendId));
      // Whole or not at all: a crash mid-write leaves a temp file, never a torn .eml.
      const temp = path.join(outbox, `.${path.basename(file)}.tmp`);
      fs.writeFileSync(temp, rendered.message as Buffer, { mode: 0o600 });
      fs.renameSync(temp, file);
      options.logger.info({ event: 'pin.outbox', file }, 'no SMTP_URL: email written to the outbox');
    },
  };
}
