// Reads the one-time code out of a raw email (an outbox .eml or what an SMTP server received).
/** The body only (headers such as Message-ID can hold digits), with quoted-printable line breaks undone. */
export function codeFromMail(raw: string): string {
  const body = raw.split(/\r?\n\r?\n/).slice(1).join('\n').replace(/=\r?\n/g, '');
  const code = /\bis (\d{6})\./.exec(body)?.[1];
  if (!code) throw new Error('no code in the mail body');
  return code;
}
