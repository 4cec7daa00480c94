// Destinations as replies show them: enough to recognise, not enough to learn the address.
import { parsePhoneNumberFromString } from 'libphonenumber-js';

const DOT = '\u2022';

/** jane@contoso.com → j•••@contoso.com */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return `${DOT.repeat(3)}`;
  return `${email[0]}${DOT.repeat(3)}@${email.slice(at + 1)}`;
}

/** +14255550123 → +1 ••• ••• 0123 (country code and the last four digits only). */
export function maskPhone(phone: string): string {
  const parsed = parsePhoneNumberFromString(phone);
  const digits = (parsed?.nationalNumber ?? phone.replace(/\D/g, '')).toString();
  const country = parsed ? `+${parsed.countryCallingCode} ` : '';
  return `${country}${DOT.repeat(3)} ${DOT.repeat(3)} ${digits.slice(-4)}`;
}
