// Shared pieces for the property-based (fast-check) hostile-input tests.
//
// Every property runs a modest, fixed number of times with a fixed seed, so a run is repeatable and
// the folder stays fast. To explore further: FUZZ_SEED=random (or a number) and FUZZ_RUNS=<factor>.
// On a failure fast-check prints the seed, the path and the shrunk counterexample; replay it with
// FUZZ_SEED=<seed> (the path is printed too, for fc.assert's `path` option).
import fc from 'fast-check';

const DEFAULT_SEED = 20261126;

function seed(): number {
  const wanted = process.env.FUZZ_SEED;
  if (wanted === 'random') return Date.now() ^ (Math.random() * 0x7fffffff);
  if (wanted && Number.isFinite(Number(wanted))) return Number(wanted);
  return DEFAULT_SEED;
}

/** fast-check parameters: `runs` scaled by FUZZ_RUNS, the seed printed when it is not the default. */
export function fuzzParameters<T>(runs: number): fc.Parameters<T> {
  const factor = Number(process.env.FUZZ_RUNS ?? '1');
  const chosen = seed();
  if (chosen !== DEFAULT_SEED) console.log(`      fast-check seed ${chosen}`);
  return { numRuns: Math.max(1, Math.round(runs * (Number.isFinite(factor) && factor > 0 ? factor : 1))), seed: chosen };
}

/** A stack trace, a source path or an exception's name: nothing a user or caller should ever see. */
export const INTERNALS = /\bat\s+\S+\s+\(|node_modules|\.ts:\d+|\.js:\d+|Error:|TypeError|RangeError|SQLITE_|ECONNREFUSED/;

// --- strings -----------------------------------------------------------------------------------

const charFrom = (from: number, to: number) => fc.integer({ min: from, max: to }).map((c) => String.fromCharCode(c));

/** One "character" that tends to break text handling. */
export const hostileChar: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  // Lone surrogates (UTF-16 halves with no partner).
  { weight: 2, arbitrary: charFrom(0xd800, 0xdfff) },
  // Right-to-left text and the direction overrides.
  { weight: 2, arbitrary: fc.oneof(charFrom(0x0590, 0x05ff), charFrom(0x0600, 0x06ff), fc.constantFrom('\u202e', '\u202d', '\u200f', '\u2067', '\u2069')) },
  // Zero-width and invisible characters, the BOM, NUL and other controls.
  { weight: 2, arbitrary: fc.constantFrom('\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u0000', '\u0007', '\u001b', '\r', '\n', '\t', '\u2028', '\u2029', '\u00a0') },
  // Hangul syllables, jamo and compatibility jamo (the Korean analyzer's input).
  { weight: 3, arbitrary: fc.oneof(charFrom(0xac00, 0xd7a3), charFrom(0x1100, 0x11ff), charFrom(0x3130, 0x318f)) },
  // Combining marks, full-width digits, other scripts' digits, emoji with modifiers.
  { weight: 1, arbitrary: fc.oneof(charFrom(0x0300, 0x036f), charFrom(0xff10, 0xff19), charFrom(0x0660, 0x0669), fc.constantFrom('👩🏽‍💻', '🇰🇷', '🏳️‍🌈', '\u{1f600}', '\u{e0001}')) },
);

/** Fragments with meaning somewhere in the stack: templates, markup, SQL, paths, format strings. */
export const hostileToken: fc.Arbitrary<string> = fc.constantFrom(
  '${$root}', '${if(true,"a","b")}', '{{x}}', '%s%n%x', '<script>alert(1)</script>', '<img src=x onerror=alert(1)>',
  '[x](javascript:alert(1))', "'; DROP TABLE requests; --", '../../../etc/passwd', '\\u0000', '__proto__', 'constructor',
  '2026-000001', '123456', 'contoso.example', 'talk to a person', 'new request', 'verify', 'cancel', 'end', '상담원 연결',
  'support phone number in the United States', '미국 지원 전화번호', '<at>Bot</at>', 'NaN', 'Infinity', '-0', 'null',
);

/** A string of hostile characters and tokens, up to `maxLength` pieces. */
export function hostileString(maxLength = 40): fc.Arbitrary<string> {
  return fc.array(fc.oneof({ weight: 5, arbitrary: hostileChar }, { weight: 1, arbitrary: hostileToken }), { maxLength }).map((parts) => parts.join(''));
}

/** Mostly short strings, sometimes a long run of one piece (sizes up to `max` characters). */
export function sizedString(max = 50_000): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 8, arbitrary: hostileString(60) },
    { weight: 1, arbitrary: fc.tuple(hostileString(4), fc.integer({ min: 100, max })).map(([unit, n]) => (unit || 'a').repeat(Math.ceil(n / Math.max(1, unit.length))).slice(0, n)) },
  );
}

// --- JSON ---------------------------------------------------------------------------------------

/** Keys that matter to JavaScript objects. */
export const dangerousKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'then');

/** Any JSON value, with hostile strings and keys, nested a few levels. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(Number.MAX_SAFE_INTEGER, -1, 0, 1e308, 5e-324),
    hostileString(20),
    fc.array(tie('value'), { maxLength: 4 }),
    tie('object'),
  ),
  object: fc
    .array(fc.tuple(fc.oneof(dangerousKey, hostileString(8), fc.constantFrom('action', 'text', 'value', 'type', 'id', 'verb', 'data')), tie('value')), { maxLength: 5 })
    // Built through JSON.parse so that "__proto__" is an own key, as it is when it arrives on the wire.
    .map((entries) => JSON.parse(`{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`).join(',')}}`) as unknown),
})).value;

/** Objects that try to reach Object.prototype through the usual merge and assign paths. */
export const pollutionPayload: fc.Arbitrary<unknown> = fc
  .tuple(fc.constantFrom('polluted', 'isAdmin', 'verified', 'toString', 'action'), hostileJson)
  .chain(([key, value]) =>
    fc.constantFrom(
      `{"__proto__":{"${key}":${JSON.stringify(value) ?? 'null'}}}`,
      `{"constructor":{"prototype":{"${key}":${JSON.stringify(value) ?? 'null'}}}}`,
      `{"action":"requestForm","__proto__":{"${key}":true},"description":{"__proto__":{"${key}":1}}}`,
      `{"a":[{"__proto__":{"${key}":"x"}}],"constructor":{"name":"Object","prototype":null}}`,
      `{"__proto__":[],"length":1e9}`,
    ),
  )
  .map((text) => JSON.parse(text) as unknown);

/** Names of what is on the shared prototypes now, to compare after a storm. */
export function prototypeSnapshot(): string {
  const names = (o: object) => Object.getOwnPropertyNames(o).sort().join(',');
  return [names(Object.prototype), names(Array.prototype), names(Function.prototype), names(String.prototype)].join('|');
}
