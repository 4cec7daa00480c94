import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ingestSources, IngestOptions } from '../../knowledge/search/ingest';
import { inlineText } from '../../knowledge/search/docs-markdown';
import { OWN_ARTICLES_DIR } from '../../knowledge/search/knowledge-base';
import { HelpArticle, HelpSection, IngestResult, sectionText } from '../../knowledge/search/types';
import { requireShared } from '../support/shared';
import { writeFiles } from '../support/article-fixtures';

const BASE_URL = 'http://h/help/';
const HANGUL = /[\uac00-\ud7a3]/;

let root: string;
let counter = 0;

function fixture(files: Record<string, string | Buffer>): string {
  return writeFiles(path.join(root, `source-${++counter}`), files);
}

function ingest(files: Record<string, string | Buffer>, options: IngestOptions = {}): IngestResult {
  return ingestSources([{ dir: fixture(files), baseUrl: BASE_URL }], options);
}

function article(result: IngestResult, articlePath: string): HelpArticle {
  const found = result.articles.find((a) => a.path === articlePath);
  assert.ok(found, `${articlePath} was not ingested (have: ${result.articles.map((a) => a.path).join(', ')})`);
  return found;
}

function section(a: HelpArticle, anchor: string): HelpSection {
  const found = a.sections.find((s) => s.anchor === anchor);
  assert.ok(found, `${a.path} has no section #${anchor} (have: ${a.sections.map((s) => s.anchor).join(', ')})`);
  return found;
}

function allText(a: HelpArticle): string {
  return a.sections.map((s) => sectionText(s)).join('\n');
}

describe('help ingest', () => {
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ingest-test-'));
  });

  after(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  describe('the shared corpus', () => {
    let corpus: IngestResult | undefined;
    const load = (context: Mocha.Context): IngestResult => {
      const dir = requireShared(context, 'corpus');
      corpus ??= ingestSources([{ dir: path.resolve(__dirname, '../../../shared/corpus'), baseUrl: BASE_URL }]);
      assert.equal(path.resolve(__dirname, '../../../shared/corpus'), dir);
      return corpus;
    };

    it('ingests every corpus file with none skipped, in both English and Korean', function () {
      const result = load(this);
      assert.deepEqual(result.skipped, []);
      const files: string[] = [];
      const walk = (folder: string) => {
        for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
          if (entry.isDirectory()) walk(path.join(folder, entry.name));
          else if (entry.name.endsWith('.md')) files.push(path.join(folder, entry.name));
        }
      };
      const dir = path.resolve(__dirname, '../../../shared/corpus');
      walk(dir);
      assert.equal(result.articles.length, files.length, 'every .md file becomes an article');
      const languages = new Set(result.articles.map((a) => a.language));
      assert.ok(languages.has('en'), 'English articles present');
      assert.ok(languages.has('ko'), 'Korean articles present');
    });

    it('gives get-help-support sections the clouds of their moniker blocks (21Vianet, Germany)', function () {
      const result = load(this);
      const page = article(result, 'ko/microsoft-365/admin/get-help-support.md');
      assert.deepEqual(section(page, 'technical-support-initial-response-times').clouds, ['21vianet']);
      assert.deepEqual(section(page, 'get-assisted-support').clouds, ['germany']);
      assert.equal(page.language, 'ko');
    });

    it('keeps a cloud block’s lead-in text out of the previous cloud’s section (corpus)', function () {
      const result = load(this);
      const page = article(result, 'ko/microsoft-365/admin/get-help-support.md');
      const phone = section(page, 'phone-support');
      assert.deepEqual(phone.clouds, ['worldwide']);
      assert.ok(!sectionText(phone, '21vianet').includes('21Vianet'), sectionText(phone, '21vianet'));
      assert.deepEqual(section(page, 'follow-us-on-wechat').clouds, ['21vianet']);
    });

    it('keeps only the Korean of machine-translated side-by-side pages', function () {
      const result = load(this);
      const page = article(result, 'ko/microsoft-365/admin/add-users/reset-passwords.md');
      const lead = page.sections[0];
      const leadText = sectionText(lead);
      assert.match(leadText, HANGUL);
      assert.ok(!leadText.includes('This article explains'), leadText);
      assert.ok(!leadText.includes('sxs-lookup') && !leadText.includes('data-ttu-id'));

      // Every English original (in <span class="sxs-lookup">) that differs from its translation is absent.
      const raw = fs.readFileSync(path.resolve(__dirname, '../../../shared/corpus', page.path), 'utf8');
      const pairs = [...raw.matchAll(/<span data-ttu-id="[^"]*">([\s\S]*?)<\/span><span class="sxs-lookup"><span data-stu-id="[^"]*">([\s\S]*?)<\/span><\/span>/g)];
      assert.ok(pairs.length > 10, 'the page is side-by-side');
      const text = allText(page);
      let checked = 0;
      for (const [, translated, original] of pairs) {
        const english = inlineText(original);
        if (english.length < 20 || english === inlineText(translated)) continue;
        checked += 1;
        assert.ok(!text.includes(english), `English duplicate left in the Korean page: ${english}`);
      }
      assert.ok(checked > 10);
    });

    it('gives English headings without <a name> Docs-style slug anchors, and ids path#anchor', function () {
      const result = load(this);
      const page = article(result, 'en/microsoft-365/admin/add-users/reset-passwords.md');
      for (const anchor of ['reset-all-business-passwords-for-everyone-in-your-organization-at-the-same-time', 'reset-my-admin-password']) {
        const s = section(page, anchor);
        assert.equal(s.id, `en/microsoft-365/admin/add-users/reset-passwords.md#${anchor}`);
      }
      for (const s of page.sections) assert.equal(s.id, `${s.articlePath}#${s.anchor}`);
    });
  });

  describe('front matter and language', () => {
    it('reads title, description and ms.* keys, and the language from ms.contentlocale', () => {
      const result = ingest({
        'en/localized.md': [
          '---',
          'title: 제목입니다',
          'description: 설명입니다',
          'ms.topic: article',
          'ms.contentlocale: ko-KR',
          'ms.date: 11/25/2026',
          'author: someone',
          '---',
          '',
          '본문입니다.',
        ].join('\n'),
      });
      assert.deepEqual(result.skipped, []);
      const a = article(result, 'en/localized.md');
      assert.equal(a.title, '제목입니다');
      assert.equal(a.description, '설명입니다');
      assert.equal(a.language, 'ko', 'ms.contentlocale wins over the en/ folder');
      assert.equal(a.meta['ms.topic'], 'article');
      assert.equal(a.meta['ms.contentlocale'], 'ko-KR');
      assert.equal(a.meta['ms.date'], '11/25/2026');
      assert.equal(a.meta.author, undefined, 'only ms.* keys are kept');
      assert.ok(a.sections.every((s) => s.language === 'ko'));
    });

    it('takes the language from the first folder when the front matter has no locale', () => {
      const result = ingest({ 'ko/x.md': '# 제목\n\n본문입니다.\n', 'en/y.md': '# Title\n\nBody.\n' });
      assert.equal(article(result, 'ko/x.md').language, 'ko');
      assert.equal(article(result, 'en/y.md').language, 'en');
    });
  });

  describe('monikers', () => {
    let page: HelpArticle;
    before(() => {
      const result = ingest({
        'en/clouds.md': [
          '# Clouds',
          '',
          'Lead text.',
          '',
          '::: moniker range="o365-21vianet"',
          '## Vianet heading',
          '',
          'Vianet-only text.',
          '',
          '::: moniker-end',
          '',
          '## Shared heading',
          '',
          'Shared text for everyone.',
          '',
          '::: moniker range="o365-germany"',
          '',
          'Germany-only text.',
          '',
          '::: moniker-end',
          '',
          '::: moniker range="o365-worldwide || o365-germany"',
          '## Both heading',
          '',
          'Worldwide and Germany text.',
          '',
          '::: moniker-end',
          '',
          '::: moniker range="office-2019"',
          '## Office heading',
          '',
          'Office 2019 text.',
          '',
          '::: moniker-end',
        ].join('\n'),
      });
      page = article(result, 'en/clouds.md');
    });

    it('gives a section whose heading is inside a 21Vianet block clouds [21vianet]', () => {
      assert.deepEqual(section(page, 'vianet-heading').clouds, ['21vianet']);
      assert.deepEqual(section(page, 'clouds').clouds, null);
    });

    it('keeps shared text and a Germany-only block as two segments of an every-cloud section', () => {
      const shared = section(page, 'shared-heading');
      assert.equal(shared.clouds, null);
      assert.equal(shared.segments.length, 2);
      assert.deepEqual(shared.segments.map((s) => s.clouds), [null, ['germany']]);
      assert.ok(!sectionText(shared, '21vianet').includes('Germany-only'), sectionText(shared, '21vianet'));
      assert.ok(sectionText(shared, '21vianet').includes('Shared text for everyone.'));
      assert.ok(sectionText(shared, 'germany').includes('Germany-only text.'));
      assert.ok(sectionText(shared).includes('Germany-only text.'));
      assert.ok(sectionText(shared).includes('Shared text for everyone.'));
    });

    it('reads o365-worldwide || o365-germany as both clouds', () => {
      assert.deepEqual(section(page, 'both-heading').clouds, ['worldwide', 'germany']);
    });

    it('keeps an unknown moniker range in tags and applies the section to every cloud', () => {
      const office = section(page, 'office-heading');
      assert.deepEqual(office.tags, ['office-2019']);
      assert.equal(office.clouds, null);
      assert.deepEqual(section(page, 'shared-heading').tags, []);
    });

    it('keeps a cloud block’s lead-in text out of the section before the block', () => {
      const result = ingest({
        'en/phone.md': [
          '# Phone',
          '',
          'Lead.',
          '',
          '::: moniker range="o365-worldwide"',
          '## Call worldwide',
          '',
          'Worldwide numbers.',
          '',
          '::: moniker-end',
          '',
          '::: moniker range="o365-21vianet"',
          '',
          'Vianet intro.',
          '',
          '## Call Vianet',
          '',
          'Vianet numbers.',
          '',
          '::: moniker-end',
        ].join('\n'),
      });
      const phone = article(result, 'en/phone.md');
      const worldwide = section(phone, 'call-worldwide');
      assert.deepEqual(worldwide.clouds, ['worldwide']);
      assert.ok(!sectionText(worldwide, '21vianet').includes('Vianet intro.'));
      assert.ok(phone.sections.some((s) => sectionText(s, '21vianet').includes('Vianet intro.') && s.clouds?.includes('21vianet')));
    });
  });

  describe('callouts, tables, includes, links', () => {
    it('turns [!NOTE] into a labelled line in the article’s language', () => {
      const result = ingest({
        'en/note.md': '# Note page\n\nIntro.\n\n> [!NOTE]\n> Be careful.\n',
        'ko/note.md': '# 참고 페이지\n\n소개.\n\n> [!NOTE]\n> 조심하세요.\n',
      });
      const en = allText(article(result, 'en/note.md'));
      assert.ok(en.includes('Note:'), en);
      assert.ok(en.includes('Be careful.'), en);
      assert.ok(!en.includes('[!NOTE]'), en);
      const ko = allText(article(result, 'ko/note.md'));
      assert.ok(ko.includes('참고:'), ko);
      assert.ok(ko.includes('조심하세요.'), ko);
      assert.ok(!ko.includes('Note:'), ko);
    });

    it('drops [!VIDEO] lines and passes unknown [!div] markers through as text', () => {
      const result = ingest({
        'en/video.md': '# Video page\n\nBefore the video.\n\n> [!VIDEO https://x]\n\nAfter the video.\n\n[!div class="x"]\n',
      });
      const text = allText(article(result, 'en/video.md'));
      assert.ok(text.includes('Before the video.') && text.includes('After the video.'), text);
      assert.ok(!/\[!VIDEO/i.test(text), text);
      assert.ok(!text.includes('https://x'), text);
      assert.ok(text.includes('[!div class="x"]'), text);
    });

    it('puts the items of a <ul> inside a table cell on separate lines', () => {
      const result = ingest({
        'en/table.md': [
          '# Table page',
          '',
          '| Name | Items |',
          '| --- | --- |',
          '| List | <ul><li>alpha</li><li>beta</li></ul> |',
          '',
        ].join('\n'),
      });
      const lines = allText(article(result, 'en/table.md')).split('\n');
      const alpha = lines.findIndex((l) => l.includes('alpha'));
      const beta = lines.findIndex((l) => l.includes('beta'));
      assert.ok(alpha >= 0 && beta >= 0, lines.join('\n'));
      assert.notEqual(alpha, beta, `alpha and beta share a line: ${lines[alpha]}`);
      assert.ok(!lines.some((l) => /<\/?(ul|li)>/.test(l)), 'no HTML left');
    });

    it('splices an include file in, relative to the including file', () => {
      const result = ingest({
        'en/inc/page.md': '# Include page\n\nBefore.\n\n[!INCLUDE [x](includes/part.md)]\n\nAfter.\n',
        'en/inc/includes/part.md': '---\ntitle: part\n---\nIncluded words from the part.\n',
      });
      const text = allText(article(result, 'en/inc/page.md'));
      assert.ok(text.includes('Included words from the part.'), text);
      assert.ok(!text.includes('INCLUDE'), text);
      assert.ok(!text.includes('title: part'), 'the include’s front matter is not text');
      assert.deepEqual(result.warnings, []);
    });

    it('warns about a missing include without failing the article', () => {
      const result = ingest({ 'en/missing.md': '# Missing include\n\nStill here.\n\n[!INCLUDE [x](includes/missing.md)]\n' });
      assert.deepEqual(result.skipped, []);
      assert.equal(result.warnings.length, 1);
      assert.match(result.warnings[0], /includes\/missing\.md/);
      assert.ok(allText(article(result, 'en/missing.md')).includes('Still here.'));
    });

    it('does not read an include outside the source folder', () => {
      const secret = path.join(root, 'secret.md');
      fs.writeFileSync(secret, 'SECRET OUTSIDE TEXT\n');
      const result = ingest({ 'en/a/outside.md': '# Outside include\n\nVisible.\n\n[!INCLUDE [x](../../../secret.md)]\n' });
      // The include resolves to the file written above: en/a → source → root.
      const text = allText(article(result, 'en/a/outside.md'));
      assert.ok(!text.includes('SECRET'), text);
      assert.ok(text.includes('Visible.'));
      assert.equal(result.warnings.length, 1);
      const etc = ingest({ 'en/a/etc.md': '# Etc include\n\nVisible.\n\n[!INCLUDE [x](../../etc/passwd)]\n[!INCLUDE [y](../../../../../../../../etc/hostname)]\n' });
      assert.ok(!allText(article(etc, 'en/a/etc.md')).includes('root:'), 'nothing read from /etc');
      assert.equal(etc.warnings.length, 2);
    });

    it('makes relative links absolute against baseUrl, keeps https and drops javascript:', () => {
      const result = ingest({
        'en/a/page.md': [
          '# Page',
          '',
          '## Anchor',
          '',
          'See [other](../b/other.md#sec), [docs](https://learn.microsoft.com/x?y=1) and [bad](javascript:alert(1)).',
          '',
        ].join('\n'),
      });
      const s = section(article(result, 'en/a/page.md'), 'anchor');
      assert.equal(s.url, 'http://h/help/en/a/page#anchor');
      const hrefs = s.links.map((l) => l.href);
      assert.ok(hrefs.includes('http://h/help/en/b/other#sec'), hrefs.join(' '));
      assert.ok(hrefs.includes('https://learn.microsoft.com/x?y=1'), hrefs.join(' '));
      assert.ok(!hrefs.some((h) => /^javascript:/i.test(h)), hrefs.join(' '));
      assert.deepEqual(s.links.find((l) => l.href === 'http://h/help/en/b/other#sec')?.text, 'other');
    });
  });

  describe('bad files', () => {
    it('skips broken, binary, non-UTF-8 and oversized files with a reason and loads the rest', () => {
      const big = `# Big\n\n${'word '.repeat(200)}\n`;
      const dir = fixture({
        'en/good.md': '# Good\n\nThis one loads.\n',
        'en/yaml.md': '---\ntitle: [unclosed\n  : : bad\n---\n# Yaml\n\nText.\n',
        'en/x.md': Buffer.concat([Buffer.from('# Binary\n\n'), Buffer.from([0, 1, 2, 0, 255])]),
        'en/latin1.md': Buffer.concat([Buffer.from('# Latin\n\nCaf'), Buffer.from([0xe9, 0x20, 0xc3, 0x28]), Buffer.from('\n')]),
        'en/big.md': big,
      });
      const result = ingestSources([{ dir, baseUrl: BASE_URL }], { maxFileBytes: 500 });
      assert.deepEqual(result.articles.map((a) => a.path), ['en/good.md']);
      const reason = (name: string) => {
        const found = result.skipped.find((s) => path.basename(s.path) === name);
        assert.ok(found, `${name} not reported: ${JSON.stringify(result.skipped)}`);
        return found.reason;
      };
      assert.match(reason('yaml.md'), /YAML/);
      assert.match(reason('x.md'), /binary/);
      assert.match(reason('latin1.md'), /UTF-8/);
      assert.match(reason('big.md'), /limit/);
      assert.match(reason('big.md'), /500/);
      assert.equal(result.skipped.length, 4);
    });

    it('reports a missing source folder as "folder not found" and still reads the others', () => {
      const good = fixture({ 'en/good.md': '# Good\n\nLoads.\n' });
      const missing = path.join(root, 'does-not-exist');
      const result = ingestSources([
        { dir: missing, baseUrl: BASE_URL },
        { dir: good, baseUrl: BASE_URL },
      ]);
      assert.deepEqual(result.skipped, [{ path: missing, reason: 'folder not found' }]);
      assert.deepEqual(result.articles.map((a) => a.path), ['en/good.md']);
    });
  });

  describe('anchors', () => {
    it('suffixes duplicate anchors in one article with -1, -2', () => {
      const result = ingest({ 'en/dupes.md': '# Dupes\n\nLead.\n\n## Setup\n\nOne.\n\n## Setup\n\nTwo.\n\n## Setup\n\nThree.\n' });
      const a = article(result, 'en/dupes.md');
      assert.deepEqual(a.sections.map((s) => s.anchor), ['dupes', 'setup', 'setup-1', 'setup-2']);
      assert.equal(sectionText(section(a, 'setup-1')), 'Two.');
      assert.equal(new Set(a.sections.map((s) => s.id)).size, a.sections.length);
    });

    it('keeps ids unique when a heading’s own slug equals a generated suffix', () => {
      const result = ingest({ 'en/dupes.md': '# Dupes\n\nLead.\n\n## Setup\n\nOne.\n\n## Setup\n\nTwo.\n\n## Setup 1\n\nThree.\n' });
      const a = article(result, 'en/dupes.md');
      assert.equal(new Set(a.sections.map((s) => s.id)).size, a.sections.length, a.sections.map((s) => s.id).join(', '));
    });

    it('makes a bookmark line before a heading an alias of that section', () => {
      const result = ingest({ 'en/bookmark.md': '# Bookmarks\n\nLead.\n\n<a name="bkmk"></a>\n## Target heading\n\nTarget text.\n\n## Next\n\nNext text.\n' });
      const a = article(result, 'en/bookmark.md');
      assert.deepEqual(section(a, 'target-heading').aliases, ['bkmk']);
      assert.deepEqual(section(a, 'next').aliases, []);
      assert.ok(!a.sections.some((s) => s.anchor === 'bkmk'));
    });

    it('uses an <a name> inside a heading as its anchor', () => {
      const result = ingest({ 'en/named.md': '# Named\n\nLead.\n\n## <a name="custom-id"></a>Shown heading\n\nText.\n' });
      const s = section(article(result, 'en/named.md'), 'custom-id');
      assert.equal(s.heading, 'Shown heading');
      assert.equal(s.id, 'en/named.md#custom-id');
    });
  });

  describe('the bot’s own articles', () => {
    let result: IngestResult;
    let en: Map<string, HelpArticle>;
    let ko: Map<string, HelpArticle>;
    before(() => {
      result = ingestSources([{ dir: OWN_ARTICLES_DIR, baseUrl: BASE_URL }]);
      const byLanguage = (language: string) =>
        new Map(result.articles.filter((a) => a.language === language).map((a) => [path.basename(a.path), a]));
      en = byLanguage('en');
      ko = byLanguage('ko');
    });

    it('has at least 30 articles in each language, the same file names, and nothing skipped', () => {
      assert.deepEqual(result.skipped, []);
      assert.ok(en.size >= 30, `${en.size} English articles`);
      assert.ok(ko.size >= 30, `${ko.size} Korean articles`);
      assert.deepEqual([...ko.keys()].sort(), [...en.keys()].sort());
      assert.equal(result.articles.length, en.size + ko.size, 'every article is en or ko');
    });

    it('has Hangul in every Korean title and every Korean section', () => {
      for (const a of ko.values()) {
        assert.match(a.title, HANGUL, `${a.path} title: ${a.title}`);
        for (const s of a.sections) assert.match(sectionText(s), HANGUL, `${s.id} has no Hangul`);
      }
    });

    it('gives every article the same list of anchors in English and Korean', () => {
      for (const [name, a] of en) {
        assert.deepEqual(ko.get(name)?.sections.map((s) => s.anchor), a.sections.map((s) => s.anchor), name);
      }
    });

    it('gives every article the same anchors in English and Korean below the lead section', () => {
      for (const [name, a] of en) {
        assert.deepEqual(ko.get(name)?.sections.slice(1).map((s) => s.anchor), a.sections.slice(1).map((s) => s.anchor), name);
      }
    });
  });
});
