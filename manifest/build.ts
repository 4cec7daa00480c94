// `npm run manifest`: fills manifest.template.json with MicrosoftAppId and BOT_DOMAIN, validates it
// (and the ko-kr localization file) offline against the Teams schema shipped in @microsoft/app-manifest,
// and writes build/appPackage.zip (manifest.json, color.png, outline.png, ko-kr.json).
import fs from 'fs';
import path from 'path';
import { parse as parseDotenv } from 'dotenv';
import JSZip from 'jszip';
import { AppManifestUtils } from '@microsoft/app-manifest';
import type { AppManifest } from '@microsoft/app-manifest';
import { colorIcon, outlineIcon } from './icons';

/** Teams manifest schema version used by the template (the newest one the package ships). */
export const MANIFEST_VERSION = '1.30';

export const PROJECT_ROOT = path.resolve(__dirname, '..');
export const TEMPLATE_FILE = path.join(__dirname, 'manifest.template.json');
export const LOCALIZATION_FILE = path.join(__dirname, 'ko-kr.json');
export const DEFAULT_OUTPUT = path.join(PROJECT_ROOT, 'build', 'appPackage.zip');

export type Env = Record<string, string | undefined>;
export type Manifest = Record<string, unknown>;
export interface SchemaError {
  /** JSON pointer into the validated document; '/' is the root. */
  path: string;
  message: string;
}

/** A missing or invalid environment variable; `variable` names it. */
export class ManifestEnvError extends Error {
  constructor(readonly variable: string, detail: string) {
    super(`${variable} ${detail}`);
    this.name = 'ManifestEnvError';
  }
}

/** The filled manifest or localization file does not match the schema. */
export class ManifestSchemaError extends Error {
  constructor(readonly file: string, readonly errors: SchemaError[]) {
    super(`${file} does not match the Teams ${MANIFEST_VERSION} schema (${errors.length} error${errors.length === 1 ? '' : 's'})`);
    this.name = 'ManifestSchemaError';
  }
}

// ---- Environment --------------------------------------------------------------------------------

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

export interface ManifestSettings {
  appId: string;
  domain: string;
}

/** Checks MicrosoftAppId (a GUID) and BOT_DOMAIN (a bare host name); throws ManifestEnvError. */
export function readSettings(env: Env): ManifestSettings {
  const appId = (env.MicrosoftAppId ?? '').trim();
  if (!appId) throw new ManifestEnvError('MicrosoftAppId', "is missing: set it to the bot's Microsoft App ID (a GUID such as 00000000-0000-0000-0000-000000000000)");
  if (!GUID.test(appId)) throw new ManifestEnvError('MicrosoftAppId', `must be a GUID such as 00000000-0000-0000-0000-000000000000, got "${appId}"`);

  const domain = (env.BOT_DOMAIN ?? '').trim();
  if (!domain) throw new ManifestEnvError('BOT_DOMAIN', 'is missing: set it to the host name the bot is served from, e.g. bot.example.com');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(domain)) throw new ManifestEnvError('BOT_DOMAIN', `must be a host name without a scheme (drop "${domain.split('//')[0]}//"), got "${domain}"`);
  if (/[/?#]/.test(domain)) throw new ManifestEnvError('BOT_DOMAIN', `must be a host name without a path, got "${domain}"`);
  if (domain.includes(':')) throw new ManifestEnvError('BOT_DOMAIN', `must be a host name without a port (Teams reaches the bot over https on 443), got "${domain}"`);
  const labels = domain.split('.');
  if (domain.length > 253 || labels.length < 2 || !labels.every((label) => HOST_LABEL.test(label))) {
    throw new ManifestEnvError('BOT_DOMAIN', `must be a public host name such as bot.example.com, got "${domain}"`);
  }
  return { appId, domain: domain.toLowerCase() };
}

/** `.env` in `dir` (if present) under the real environment: real variables win. */
export function loadEnv(dir: string = PROJECT_ROOT, env: Env = process.env): Env {
  const file = path.join(dir, '.env');
  const fromFile = fs.existsSync(file) ? parseDotenv(fs.readFileSync(file)) : {};
  return { ...fromFile, ...env };
}

// ---- Template -----------------------------------------------------------------------------------

function fill(text: string, settings: ManifestSettings, file: string): Manifest {
  const filled = text.replace(/\{\{\s*(\w+)\s*\}\}/g, (placeholder, name: string) => {
    if (name === 'MicrosoftAppId') return settings.appId;
    if (name === 'BOT_DOMAIN') return settings.domain;
    throw new Error(`${path.basename(file)}: unknown placeholder ${placeholder}`);
  });
  return JSON.parse(filled) as Manifest;
}

/** The manifest template with {{MicrosoftAppId}} and {{BOT_DOMAIN}} filled from `env`. */
export function fillManifest(env: Env, templateFile: string = TEMPLATE_FILE): Manifest {
  const settings = readSettings(env);
  return fill(fs.readFileSync(templateFile, 'utf8'), settings, templateFile);
}

/** The ko-kr localization file (placeholders, if any, filled the same way). */
export function localization(env: Env, file: string = LOCALIZATION_FILE): Manifest {
  return fill(fs.readFileSync(file, 'utf8'), readSettings(env), file);
}

// ---- Schema validation (offline) ----------------------------------------------------------------

const schemaCache = new Map<string, object>();

/**
 * Escapes `]` that stands alone outside a character class. The shipped 1.30 localization schema has
 * patterns such as `\[\b(...)\b]\.description$`, legal in plain JS regexes but a syntax error under
 * the `u` flag ajv compiles with ("Lone quantifier brackets"), so the schema would not compile at all.
 */
export function fixLoneBrackets(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\') {
      out += ch + (pattern[i + 1] ?? '');
      i++;
    } else if (ch === '[' && !inClass) {
      inClass = true;
      out += ch;
    } else if (ch === ']') {
      out += inClass ? ch : '\\]';
      inClass = false;
    } else {
      out += ch;
    }
  }
  return out;
}

function repairPatterns(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(repairPatterns);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'patternProperties' && value && typeof value === 'object') {
      out[key] = Object.fromEntries(Object.entries(value).map(([p, v]) => [fixLoneBrackets(p), repairPatterns(v)]));
    } else if (key === 'pattern' && typeof value === 'string') {
      out[key] = fixLoneBrackets(value);
    } else {
      out[key] = repairPatterns(value);
    }
  }
  return out;
}

/**
 * Loads a schema from the copy shipped in @microsoft/app-manifest — never from the network
 * (AppManifestUtils.fetchSchema would fall back to an HTTP fetch if the local file were missing).
 */
export function loadSchema(name: 'MicrosoftTeams.schema.json' | 'MicrosoftTeams.Localization.schema.json'): object {
  const cached = schemaCache.get(name);
  if (cached) return cached;
  const packageDir = path.dirname(require.resolve('@microsoft/app-manifest/package.json'));
  const file = path.join(packageDir, 'build', 'json-schemas', 'teams', `v${MANIFEST_VERSION}`, name);
  if (!fs.existsSync(file)) throw new Error(`Teams schema not found at ${file}: is @microsoft/app-manifest installed?`);
  // The same clean-up AppManifestUtils.fetchSchema applies: \a and \v are not valid escapes in `u` regexes.
  const raw = fs.readFileSync(file, 'utf8').replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b');
  const schema = repairPatterns(JSON.parse(raw)) as object;
  schemaCache.set(name, schema);
  return schema;
}

/** AppManifestUtils returns "<instancePath> <message>. Details: {...}"; split off the path. */
function toSchemaError(line: string): SchemaError {
  const match = /^(\S*) ([\s\S]*)$/.exec(line);
  const pointer = match ? match[1]! : '';
  const message = (match ? match[2]! : line).trim();
  return { path: pointer || '/', message };
}

async function validateAgainst(document: unknown, schemaName: Parameters<typeof loadSchema>[0]): Promise<SchemaError[]> {
  const schema = loadSchema(schemaName) as Parameters<typeof AppManifestUtils.validateAgainstSchema>[1];
  const failures = await AppManifestUtils.validateAgainstSchema(document as AppManifest, schema);
  return failures.map(toSchemaError);
}

/** Schema errors for a Teams manifest (empty when valid), checked offline against the 1.30 schema. */
export function validate(manifest: unknown): Promise<SchemaError[]> {
  return validateAgainst(manifest, 'MicrosoftTeams.schema.json');
}

/** Schema errors for a localization file such as ko-kr.json. */
export function validateLocalization(file: unknown): Promise<SchemaError[]> {
  return validateAgainst(file, 'MicrosoftTeams.Localization.schema.json');
}

// ---- Package ------------------------------------------------------------------------------------

export interface BuildOptions {
  /** Defaults to manifest/manifest.template.json. */
  templateFile?: string;
  /** Defaults to manifest/ko-kr.json. */
  localizationFile?: string;
}

/** Fills, validates and zips the app package; throws ManifestEnvError or ManifestSchemaError. */
export async function buildPackage(
  env: Env,
  outFile: string = DEFAULT_OUTPUT,
  options: BuildOptions = {},
): Promise<{ file: string; bytes: number }> {
  const manifest = fillManifest(env, options.templateFile);
  const korean = localization(env, options.localizationFile);

  const manifestErrors = await validate(manifest);
  if (manifestErrors.length) throw new ManifestSchemaError('manifest.json', manifestErrors);
  const koreanErrors = await validateLocalization(korean);
  if (koreanErrors.length) throw new ManifestSchemaError('ko-kr.json', koreanErrors);

  const zip = new JSZip();
  const fixedDate = new Date('2000-01-01T00:00:00Z'); // reproducible archives
  const add = (name: string, data: string | Buffer) => zip.file(name, data, { date: fixedDate });
  add('manifest.json', JSON.stringify(manifest, null, 2) + '\n');
  add('color.png', colorIcon());
  add('outline.png', outlineIcon());
  add('ko-kr.json', JSON.stringify(korean, null, 2) + '\n');
  const data = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });

  const file = path.resolve(outFile);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, data);
  return { file, bytes: data.length };
}

/** The CLI: returns the exit code; every problem is reported on stderr. */
export async function main(env: Env = loadEnv(), outFile: string = DEFAULT_OUTPUT, options: BuildOptions = {}): Promise<number> {
  try {
    const { file, bytes } = await buildPackage(env, outFile, options);
    console.log(`Wrote ${path.relative(process.cwd(), file) || file} (${bytes} bytes)`);
    return 0;
  } catch (err) {
    if (err instanceof ManifestSchemaError) {
      console.error(`manifest: ${err.message}:`);
      for (const e of err.errors) console.error(`  ${e.path}: ${e.message}`);
    } else if (err instanceof ManifestEnvError) {
      console.error(`manifest: ${err.message}`);
    } else {
      console.error(`manifest: ${err instanceof Error ? err.message : String(err)}`);
    }
    return 1;
  }
}

if (require.main === module) {
  void main().then((code) => {
    process.exitCode = code;
  });
}
