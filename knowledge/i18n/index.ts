// User-facing strings live in en.json and ko.json; code refers to them by key.
import en from './en.json';
import ko from './ko.json';

export type Locale = 'en' | 'ko';
export const LOCALES: readonly Locale[] = ['en', 'ko'];

type Strings = Record<string, string>;
const TABLES: Record<Locale, Strings> = { en: en as Strings, ko: ko as Strings };

export type Params = Record<string, string | number>;

/** en-*, ko-* map to themselves; a missing locale uses the configured default; anything else is English. */
export function localeOf(activity: { locale?: string | null }, fallback: Locale = 'en'): Locale {
  const tag = (activity.locale ?? '').trim().toLowerCase();
  if (!tag) return fallback;
  if (tag === 'ko' || tag.startsWith('ko-') || tag.startsWith('ko_')) return 'ko';
  return 'en';
}

export function has(locale: Locale, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(TABLES[locale], key);
}

/** Looks up `key` and fills `{name}` placeholders. Values are inserted as text, never re-interpreted. */
export function t(locale: Locale, key: string, params: Params = {}): string {
  const template = TABLES[locale][key] ?? TABLES.en[key];
  if (template === undefined) throw new Error(`missing string "${key}"`);
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

export function keys(locale: Locale): string[] {
  return Object.keys(TABLES[locale]);
}
