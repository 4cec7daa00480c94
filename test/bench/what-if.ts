// Preloaded into the bot by `npm run bench:load -- --what-if NAME[,NAME]` to measure a fix in code this
// bench does not own before anyone writes it. Never loaded by the bot itself. Each patch mimics the fix
// the bench report recommends:
//   sqlite-normal   WAL with synchronous=NORMAL instead of FULL (bot/storage/database.ts): a commit no
//                   longer waits for an fsync; a power cut can lose the last commits, never corrupt.
//   card-templates  parse each Adaptive Card template once (cards/render.ts: keep the ACData.Template
//                   per template object) instead of on every expansion.
//   intl-cache      reuse Intl.DateTimeFormat objects per (locales, options) instead of building one
//                   per call (dialogs/services.ts userTimeZoneOf builds one per call to test a zone).
import Database from 'better-sqlite3';
import * as ACData from 'adaptivecards-templating';

const wanted = new Set((process.env.BENCH_WHAT_IF ?? '').split(',').filter(Boolean));

if (wanted.has('sqlite-normal')) {
  const proto = Database.prototype as unknown as { pragma: (source: string, options?: unknown) => unknown };
  const pragma = proto.pragma;
  proto.pragma = function (this: unknown, source: string, options?: unknown) {
    return pragma.call(this, /^\s*synchronous\s*=\s*full\s*$/i.test(source) ? 'synchronous = NORMAL' : source, options);
  };
}

if (wanted.has('card-templates')) {
  // Template's constructor calls the static prepare(payload): remember the result per payload object.
  const Template = ACData.Template as unknown as { prepare: (node: unknown) => unknown };
  const prepare = Template.prepare;
  const prepared = new WeakMap<object, unknown>();
  Template.prepare = (node: unknown) => {
    if (!node || typeof node !== 'object') return prepare(node);
    let result = prepared.get(node);
    if (result === undefined) prepared.set(node, (result = prepare(node)));
    return result;
  };
}

if (wanted.has('intl-cache')) {
  const Original = Intl.DateTimeFormat;
  const cache = new Map<string, Intl.DateTimeFormat>();
  // Called with or without new; an object returned from a constructor is what `new` gives.
  const Cached = function (locales?: string | string[], options?: Intl.DateTimeFormatOptions) {
    const key = JSON.stringify([locales ?? null, options ?? null]);
    let format = cache.get(key);
    if (!format) {
      format = new Original(locales, options);
      if (cache.size < 1000) cache.set(key, format);
    }
    return format;
  } as unknown as typeof Intl.DateTimeFormat;
  Object.defineProperty(Cached, 'prototype', { value: Original.prototype });
  (Cached as unknown as { supportedLocalesOf: unknown }).supportedLocalesOf = Original.supportedLocalesOf.bind(Original);
  Intl.DateTimeFormat = Cached;
}

const unknown = [...wanted].filter((w) => !['sqlite-normal', 'card-templates', 'intl-cache'].includes(w));
if (unknown.length) throw new Error(`what-if: unknown ${unknown.join(', ')}`);
if (wanted.size) console.log(`what-if patches: ${[...wanted].join(', ')}`);
