import assert from 'assert';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { spawnSync } from 'child_process';
import { inflateSync } from 'zlib';
import JSZip from 'jszip';
import {
  DEFAULT_OUTPUT,
  ManifestEnvError,
  ManifestSchemaError,
  buildPackage,
  fillManifest,
  fixLoneBrackets,
  loadEnv,
  localization,
  main,
  validate,
  validateLocalization,
  type Manifest,
} from '../../manifest/build';
import { ACCENT_COLOR, colorIcon, crc32, outlineIcon } from '../../manifest/icons';

const APP_ID = '1b2c3d4e-5f60-4172-8394-a5b6c7d8e9f0';
const DOMAIN = 'support-bot.example.com';
const ENV = { MicrosoftAppId: APP_ID, BOT_DOMAIN: DOMAIN };
const ROOT = path.resolve(__dirname, '..', '..');

interface Png {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  chunks: { type: string; data: Buffer }[];
}

function readPng(buf: Buffer): Png {
  assert.deepStrictEqual([...buf.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  const chunks: Png['chunks'] = [];
  for (let at = 8; at < buf.length; ) {
    const length = buf.readUInt32BE(at);
    const type = buf.toString('ascii', at + 4, at + 8);
    const data = buf.subarray(at + 8, at + 8 + length);
    assert.strictEqual(buf.readUInt32BE(at + 8 + length), crc32(buf.subarray(at + 4, at + 8 + length)), `${type} CRC`);
    chunks.push({ type, data });
    at += 12 + length;
  }
  assert.strictEqual(chunks[0]!.type, 'IHDR');
  assert.strictEqual(chunks[chunks.length - 1]!.type, 'IEND');
  // Width and height straight from the IHDR bytes (offsets 16 and 20 of the file).
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20), bitDepth: buf[24]!, colorType: buf[25]!, chunks };
}

/** Unfiltered rows of an 8-bit PNG (the encoder writes filter type 0 on every row). */
function pixelRows(png: Png, channels: number): Buffer[] {
  const raw = inflateSync(Buffer.concat(png.chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)));
  const stride = png.width * channels + 1;
  assert.strictEqual(raw.length, stride * png.height);
  const rows: Buffer[] = [];
  for (let y = 0; y < png.height; y++) {
    assert.strictEqual(raw[y * stride], 0, `row ${y} filter byte`);
    rows.push(raw.subarray(y * stride + 1, (y + 1) * stride));
  }
  return rows;
}

function clone(m: Manifest): any {
  return JSON.parse(JSON.stringify(m));
}

describe('Teams app manifest', function () {
  let manifest: any;
  before(() => {
    manifest = fillManifest(ENV);
  });

  describe('template and schema', () => {
    it('fills the app id and domain everywhere and leaves no placeholder', () => {
      const text = JSON.stringify(manifest);
      assert.ok(!text.includes('{{'), text);
      assert.strictEqual(manifest.id, APP_ID);
      assert.strictEqual(manifest.bots[0].botId, APP_ID);
      assert.strictEqual(manifest.composeExtensions[0].botId, APP_ID);
      assert.deepStrictEqual(manifest.validDomains, [DOMAIN]);
      assert.strictEqual(manifest.staticTabs[0].contentUrl, `https://${DOMAIN}/tab/my-requests`);
      for (const key of ['websiteUrl', 'privacyUrl', 'termsOfUseUrl']) assert.ok(manifest.developer[key].startsWith(`https://${DOMAIN}/`), key);
    });

    it('validates against the shipped Teams 1.30 schema with zero errors', async () => {
      assert.strictEqual(manifest.manifestVersion, '1.30');
      assert.deepStrictEqual(await validate(manifest), []);
    });

    it('validates the ko-kr localization file against the shipped localization schema', async () => {
      assert.deepStrictEqual(await validateLocalization(localization(ENV)), []);
    });

    it('reports a bot id that is not a GUID, with its path', async () => {
      const broken = clone(manifest);
      broken.bots[0].botId = 'not-a-guid';
      const errors = await validate(broken);
      assert.ok(errors.length > 0);
      assert.ok(errors.some((e) => e.path === '/bots/0/botId' && /pattern/.test(e.message)), JSON.stringify(errors));
    });

    it('reports a missing required field', async () => {
      const broken = clone(manifest);
      delete broken.developer;
      const errors = await validate(broken);
      assert.ok(errors.some((e) => e.path === '/' && /required property 'developer'/.test(e.message)), JSON.stringify(errors));
    });

    it('reports too-long strings and unknown properties', async () => {
      const broken = clone(manifest);
      broken.name.short = 'x'.repeat(31);
      broken.staticTabs[0].colour = 'blue';
      const errors = await validate(broken);
      assert.ok(errors.some((e) => e.path === '/name/short'), JSON.stringify(errors));
      assert.ok(errors.some((e) => e.path === '/staticTabs/0' && /additional properties/.test(e.message)), JSON.stringify(errors));
    });

    it('reports a broken localization file', async () => {
      const broken: any = clone(localization(ENV));
      delete broken['description.full'];
      broken['name.short'] = '가'.repeat(31);
      const errors = await validateLocalization(broken);
      assert.ok(errors.some((e) => /description\.full/.test(e.message)), JSON.stringify(errors));
      assert.ok(errors.some((e) => e.path === '/name.short'), JSON.stringify(errors));
    });

    it('repairs lone "]" in schema patterns (they do not compile under the u flag) and nothing else', () => {
      assert.strictEqual(fixLoneBrackets('^a\\[\\b([0-9]|1[0-5])\\b]\\.x$'), '^a\\[\\b([0-9]|1[0-5])\\b\\]\\.x$');
      assert.doesNotThrow(() => new RegExp(fixLoneBrackets('^a\\[\\b([0-9]|1[0-5])\\b]\\.x$'), 'u'));
      for (const ok of ['^[0-9a-fA-F]{8}$', '^\\[\\[[a-zA-Z_]*\\]\\]$', '^[\\]a]+$']) assert.strictEqual(fixLoneBrackets(ok), ok);
    });
  });

  describe('bot, messaging extension and tab', () => {
    it('has the bot in personal, team and groupChat with the five commands in every scope, and agents channel in team', () => {
      const bot = manifest.bots[0];
      assert.deepStrictEqual([...bot.scopes].sort(), ['groupChat', 'personal', 'team']);
      const scopes = bot.commandLists.flatMap((l: any) => l.scopes).sort();
      assert.deepStrictEqual(scopes, ['groupChat', 'personal', 'team']);
      for (const list of bot.commandLists) {
        assert.ok(list.commands.length <= 10, `Teams allows at most 10 commands per scope (${list.scopes})`);
        const agents = list.scopes.includes('team') ? ['agents channel here'] : [];
        assert.deepStrictEqual(
          list.commands.map((c: any) => c.title),
          ['help', 'call support', 'new request', 'my requests', 'status', ...agents],
        );
        for (const c of list.commands) assert.ok(c.description && c.description.length > 0, c.title);
      }
    });

    it('has the searchHelp query messaging extension on the bot', () => {
      assert.strictEqual(manifest.composeExtensions.length, 1);
      const ext = manifest.composeExtensions[0];
      assert.strictEqual(ext.botId, APP_ID);
      assert.strictEqual(ext.commands.length, 1);
      const cmd = ext.commands[0];
      assert.strictEqual(cmd.id, 'searchHelp');
      assert.strictEqual(cmd.type, 'query');
      assert.strictEqual(cmd.title, 'Search help');
      assert.ok(cmd.description);
      assert.deepStrictEqual(cmd.parameters.map((p: any) => p.name), ['query']);
    });

    it('has the personal "My requests" static tab', () => {
      const tab = manifest.staticTabs.find((t: any) => t.entityId === 'myRequests');
      assert.ok(tab);
      assert.strictEqual(tab.name, 'My requests');
      assert.strictEqual(tab.contentUrl, `https://${DOMAIN}/tab/my-requests`);
      assert.strictEqual(tab.websiteUrl, tab.contentUrl);
      assert.deepStrictEqual(tab.scopes, ['personal']);
    });

    it('declares ko-kr and translates every command title, the extension and the tab', () => {
      assert.strictEqual(manifest.localizationInfo.defaultLanguageTag, 'en-us');
      assert.deepStrictEqual(manifest.localizationInfo.additionalLanguages, [{ languageTag: 'ko-kr', file: 'ko-kr.json' }]);
      const ko: any = localization(ENV);
      manifest.bots[0].commandLists.forEach((list: any, l: number) =>
        list.commands.forEach((_: unknown, i: number) => {
          assert.ok(ko[`bots[0].commandLists[${l}].commands[${i}].title`], `title ${l}/${i}`);
          assert.ok(ko[`bots[0].commandLists[${l}].commands[${i}].description`], `description ${l}/${i}`);
        }),
      );
      assert.ok(ko['composeExtensions[0].commands[0].title']);
      assert.ok(ko['staticTabs[0].name']);
      assert.match(ko['name.short'], /[\uac00-\ud7a3]/);
    });
  });

  describe('environment', () => {
    const expectEnvError = (env: Record<string, string | undefined>, variable: string) => {
      assert.throws(
        () => fillManifest(env),
        (err: unknown) => err instanceof ManifestEnvError && err.variable === variable && err.message.startsWith(variable) && !err.message.includes('\n'),
      );
    };

    it('names MicrosoftAppId when it is missing or not a GUID', () => {
      expectEnvError({ BOT_DOMAIN: DOMAIN }, 'MicrosoftAppId');
      expectEnvError({ MicrosoftAppId: '  ', BOT_DOMAIN: DOMAIN }, 'MicrosoftAppId');
      expectEnvError({ MicrosoftAppId: 'my-bot', BOT_DOMAIN: DOMAIN }, 'MicrosoftAppId');
      expectEnvError({ MicrosoftAppId: `${APP_ID}0`, BOT_DOMAIN: DOMAIN }, 'MicrosoftAppId');
    });

    it('names BOT_DOMAIN when it is missing, has a scheme, path or port, or is not a host name', () => {
      expectEnvError({ MicrosoftAppId: APP_ID }, 'BOT_DOMAIN');
      for (const bad of ['https://bot.example.com', 'bot.example.com/api/messages', 'bot.example.com:3978', 'localhost', 'bad_host.example.com', '-x.example.com']) {
        expectEnvError({ MicrosoftAppId: APP_ID, BOT_DOMAIN: bad }, 'BOT_DOMAIN');
      }
    });

    it('reads .env under the real environment', () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'manifest-env-'));
      try {
        fs.writeFileSync(path.join(dir, '.env'), `MicrosoftAppId=${APP_ID}\nBOT_DOMAIN=from-file.example.com\n`);
        const env = loadEnv(dir, { BOT_DOMAIN: DOMAIN });
        assert.strictEqual(env.MicrosoftAppId, APP_ID);
        assert.strictEqual(env.BOT_DOMAIN, DOMAIN);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('icons', () => {
    it('colour icon is a 192×192 opaque PNG on the accent colour', () => {
      const png = readPng(colorIcon());
      assert.deepStrictEqual([png.width, png.height, png.bitDepth, png.colorType], [192, 192, 8, 2]);
      const rows = pixelRows(png, 3);
      const accent = [1, 3, 5].map((i) => parseInt(ACCENT_COLOR.slice(i, i + 2), 16));
      assert.deepStrictEqual([...rows[0]!.subarray(0, 3)], accent, 'corner is the accent colour');
      assert.strictEqual(ACCENT_COLOR, manifest.accentColor);
      const centre = rows[80]!.subarray(40 * 3, 40 * 3 + 3);
      assert.deepStrictEqual([...centre], [255, 255, 255], 'glyph is white');
    });

    it('outline icon is a 32×32 RGBA PNG with only white pixels and varying alpha', () => {
      const png = readPng(outlineIcon());
      assert.deepStrictEqual([png.width, png.height, png.bitDepth, png.colorType], [32, 32, 8, 6]);
      const alphas = new Set<number>();
      for (const row of pixelRows(png, 4)) {
        for (let x = 0; x < 32; x++) {
          assert.deepStrictEqual([row[x * 4], row[x * 4 + 1], row[x * 4 + 2]], [255, 255, 255]);
          alphas.add(row[x * 4 + 3]!);
        }
      }
      assert.ok(alphas.has(0) && alphas.has(255) && alphas.size > 2, `alphas: ${[...alphas]}`);
    });
  });

  describe('package', function () {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'manifest-build-'));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    async function checkZip(file: string) {
      const zip = await JSZip.loadAsync(fs.readFileSync(file));
      assert.deepStrictEqual(Object.keys(zip.files).sort(), ['color.png', 'ko-kr.json', 'manifest.json', 'outline.png']);
      const text = await zip.file('manifest.json')!.async('string');
      assert.ok(!text.includes('{{'));
      const m = JSON.parse(text);
      assert.strictEqual(m.id, APP_ID);
      assert.strictEqual(m.bots[0].botId, APP_ID);
      assert.deepStrictEqual(m.validDomains, [DOMAIN]);
      assert.deepStrictEqual(await validate(m), []);
      assert.strictEqual(m.icons.color, 'color.png');
      assert.strictEqual(m.icons.outline, 'outline.png');
      const color = readPng(await zip.file('color.png')!.async('nodebuffer'));
      assert.deepStrictEqual([color.width, color.height], [192, 192]);
      const outline = readPng(await zip.file('outline.png')!.async('nodebuffer'));
      assert.deepStrictEqual([outline.width, outline.height], [32, 32]);
      const ko = JSON.parse(await zip.file('ko-kr.json')!.async('string'));
      assert.deepStrictEqual(await validateLocalization(ko), []);
    }

    it('buildPackage writes a zip that jszip opens, with everything substituted', async () => {
      const out = path.join(dir, 'nested', 'appPackage.zip');
      const result = await buildPackage(ENV, out);
      assert.strictEqual(result.file, out);
      assert.strictEqual(result.bytes, fs.statSync(out).size);
      await checkZip(out);
    });

    it('refuses to write a package whose manifest breaks the schema', async () => {
      const template = path.join(dir, 'broken.template.json');
      const broken: any = JSON.parse(fs.readFileSync(path.join(ROOT, 'manifest', 'manifest.template.json'), 'utf8'));
      broken.accentColor = 'blue';
      delete broken.bots[0].scopes;
      fs.writeFileSync(template, JSON.stringify(broken));
      const out = path.join(dir, 'appPackage.zip');
      await assert.rejects(buildPackage(ENV, out, { templateFile: template }), (err: unknown) => {
        assert.ok(err instanceof ManifestSchemaError);
        assert.strictEqual(err.file, 'manifest.json');
        assert.ok(err.errors.some((e) => e.path === '/accentColor'), JSON.stringify(err.errors));
        assert.ok(err.errors.some((e) => e.path === '/bots/0' && /scopes/.test(e.message)), JSON.stringify(err.errors));
        return true;
      });
      assert.ok(!fs.existsSync(out));
    });

    it('main prints each schema error (path + message) and returns 1', async () => {
      const template = path.join(dir, 'broken.template.json');
      const broken: any = JSON.parse(fs.readFileSync(path.join(ROOT, 'manifest', 'manifest.template.json'), 'utf8'));
      broken.accentColor = 'blue';
      fs.writeFileSync(template, JSON.stringify(broken));
      const lines: string[] = [];
      const original = console.error;
      console.error = (...args: unknown[]) => void lines.push(args.join(' '));
      let code: number;
      try {
        code = await main(ENV, path.join(dir, 'appPackage.zip'), { templateFile: template });
      } finally {
        console.error = original;
      }
      assert.strictEqual(code, 1);
      assert.match(lines[0]!, /manifest\.json does not match the Teams 1\.30 schema/);
      assert.ok(lines.some((l) => /^\s+\/accentColor: must match pattern/.test(l)), lines.join('\n'));
    });

    it('refuses to write a package without BOT_DOMAIN', async () => {
      const out = path.join(dir, 'appPackage.zip');
      await assert.rejects(
        buildPackage({ MicrosoftAppId: APP_ID }, out),
        (err: unknown) => err instanceof ManifestEnvError && err.variable === 'BOT_DOMAIN',
      );
      assert.ok(!fs.existsSync(out));
    });

    it('the default output is build/appPackage.zip in the project root', () => {
      assert.strictEqual(DEFAULT_OUTPUT, path.join(ROOT, 'build', 'appPackage.zip'));
    });

    it('`tsx manifest/build.ts` exits non-zero with a one-line error naming the variable', () => {
      // An explicit empty value: the real environment wins over a developer's own .env in the project.
      const env = { ...process.env, BOT_DOMAIN: DOMAIN, MicrosoftAppId: '' };
      const tsx = require.resolve('tsx/cli');
      const run = spawnSync(process.execPath, [tsx, path.join(ROOT, 'manifest', 'build.ts')], { cwd: ROOT, env, encoding: 'utf8' });
      assert.strictEqual(run.status, 1, run.stderr);
      assert.strictEqual(run.stderr.trim().split('\n').length, 1, run.stderr);
      assert.match(run.stderr, /MicrosoftAppId is missing/);
    });
  });
});
