// Random Docs-flavoured Markdown through the help ingest (knowledge/search/ingest.ts): front matter
// present, absent or broken; ::: moniker blocks balanced or not; includes that exist, are missing or
// point outside the folder; HTML, tables, callouts, side-by-side spans, huge headings and lines,
// nested lists, fences left open; binary, non-UTF-8 and oversized files; odd file names.
//
// Properties, for every generated folder:
//  - the ingest never throws, and finishes within a deadline (it runs in a worker thread, so a
//    backtracking regular expression fails the test instead of hanging it);
//  - every .md file is either an article or skipped with a reason;
//  - section ids are unique, are `${article path}#${anchor}`, and the same input gives the same
//    result (ingested twice);
//  - adding an unrelated file changes nothing about the others.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import type { IngestOptions, KnowledgeSource } from '../../knowledge/search/ingest';
import type { IngestResult } from '../../knowledge/search/types';
import { fuzzParameters, hostileString } from './helpers';

const BASE_URL = 'http://localhost:3978/help/';
/** Generous for 2 busy cores; the inputs below take tens of milliseconds when the ingest is linear. */
const DEADLINE_MS = 8000;

type Outcome = { ok: true; first: IngestResult; second: IngestResult; ms: number } | { ok: false; error: string };

class IngestWorker {
  private worker: Worker | undefined;
  private sequence = 0;

  private start(): Worker {
    this.worker = new Worker(`require('tsx/cjs'); require(${JSON.stringify(path.join(__dirname, 'ingest-worker.ts'))});`, { eval: true });
    this.worker.unref();
    return this.worker;
  }

  run(sources: KnowledgeSource[], options: IngestOptions): Promise<Outcome | 'timeout'> {
    const worker = this.worker ?? this.start();
    const id = ++this.sequence;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        void worker.terminate();
        this.worker = undefined;
        resolve('timeout');
      }, DEADLINE_MS);
      const onError = (error: Error) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        this.worker = undefined;
        reject(error);
      };
      const onMessage = (message: Outcome & { id: number }) => {
        if (message.id !== id) return;
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        resolve(message);
      };
      worker.on('message', onMessage);
      worker.once('error', onError);
      worker.postMessage({ id, sources, options });
    });
  }

  async stop(): Promise<void> {
    await this.worker?.terminate();
  }
}

// --- a Docs-flavoured Markdown generator ----------------------------------------------------------

const words = fc.array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom('admin', 'users', 'Microsoft 365', 'support', 'billing', '사용자', '관리자', '지원', 'DNS', 'C#', 'F#') }, { weight: 2, arbitrary: hostileString(6) }), { minLength: 0, maxLength: 8 }).map((w) => w.join(' '));

/** A run of one small unit, long enough to expose quadratic (or worse) regular expressions. */
const longRun = fc.tuple(fc.constantFrom(' ', '\t', '#', ' #', '*', '[', '`', '<a ', '<span data-ttu-id="1">', '<span class="sxs-lookup"><span data-stu-id="1">', '> ', ':', '|', '-', '&#', '\\', '_', '~'), fc.integer({ min: 1000, max: 40_000 })).map(([unit, n]) => unit.repeat(Math.ceil(n / unit.length)));

const href = fc.oneof(fc.constantFrom('https://learn.microsoft.com/x', 'javascript:alert(1)', 'mailto:a@b.c', 'tel:+1', '../other.md', 'sibling.md#part', '#local', '/absolute/path', '', 'data:text/html,<script>', '//evil.example', 'add-users.md?x=1#y', '%zz', 'http://[::1'), hostileString(10));

const inline = fc.oneof(
  { weight: 4, arbitrary: words },
  { weight: 1, arbitrary: fc.tuple(words, href).map(([t, h]) => `[${t}](${h})`) },
  { weight: 1, arbitrary: words.map((t) => `**${t}** _${t}_ \`${t}\``) },
  { weight: 1, arbitrary: fc.tuple(words, href).map(([t, h]) => `![${t}](${h})`) },
  { weight: 1, arbitrary: fc.constantFrom('<b>bold</b>', '<br>', '<span>unclosed', '</div>', '<script>alert(1)</script>', '&amp; &lt; &#xFFFF; &#0; &bogus;', '<a href="javascript:alert(1)">x</a>', '<!-- comment', '<![CDATA[ x ]]>') },
);

const line = fc.oneof(
  { weight: 6, arbitrary: fc.array(inline, { maxLength: 4 }).map((p) => p.join(' ')) },
  // Headings, with closing hashes, bookmarks and anchors.
  { weight: 4, arbitrary: fc.tuple(fc.integer({ min: 1, max: 7 }), words, fc.constantFrom('', ' #', ' ###', '#', ' <a name="bkmk_x"></a>', '<a id="dup"></a>', ' <a name="a#b"></a>', ' <a id="with space"></a>', ' <a name="한국어"></a>'), fc.constantFrom(' ', '\t', '  ')).map(([n, t, tail, gap]) => `${'#'.repeat(n)}${gap}${t}${tail}`) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 3 }), longRun, words).map(([n, run, t]) => `${'#'.repeat(n)} ${t}${run}${t} #`) },
  { weight: 1, arbitrary: fc.tuple(longRun, words).map(([run, t]) => `${t}${run}${t}`) },
  // Moniker blocks, balanced or not.
  { weight: 2, arbitrary: fc.constantFrom('::: moniker range="o365-worldwide"', '::: moniker range="o365-21vianet"', ':::moniker range="o365-germany || o365-worldwide"', '::: moniker range="o365-unknown,other"', '::: moniker range=""', '::: moniker-end', ':::  moniker-end  ', '::: moniker range="', ':::', '::: zone pivot="x"', '::: zone-end') },
  // Callouts and Docs extensions.
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('> [!NOTE]', '> [!IMPORTANT]', '> [!TIP]', '> [!CAUTION]', '> [!WARNING]', '> [!VIDEO https://x/y]', '[!VIDEO https://x]', '> [!div class="nextstepaction"]', '>[!note]', '> [!UNKNOWN]'), words).map(([c, t]) => `${c}\n> ${t}`) },
  { weight: 2, arbitrary: fc.constantFrom('[!INCLUDE [x](includes/part.md)]', '[!INCLUDE [x](../../../../etc/passwd)]', '[!INCLUDE [x](/etc/hosts)]', '[!INCLUDE [x](missing.md)]', '[!INCLUDE [x](includes/loop.md)]', '[!include[x](includes/part.md)]', '[!INCLUDE [x](includes/binary.md)]', '[!INCLUDE [x](link-out.md)]') },
  { weight: 1, arbitrary: fc.constantFrom('<a name="bkmk_top"></a>', '<a id="x"></a>', '<a name=""></a>', '<span data-ttu-id="1">번역</span><span class="sxs-lookup"><span data-stu-id="1">Original</span></span>') },
  // Tables, HTML blocks, fences, lists.
  { weight: 2, arbitrary: fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 4 }), words).map(([cols, rows, t]) => [`|${` ${t} |`.repeat(cols)}`, `|${'---|'.repeat(cols)}`, ...Array.from({ length: rows }, () => `|${` ${t} <ul><li>a</li></ul> |`.repeat(cols)}`)].join('\n')) },
  { weight: 1, arbitrary: fc.constantFrom('<table><tr><td>a</td><td>b', '<div>\n\nblock\n\n</div>', '<ul><li>x<li>y</ul>', '<details><summary>s</summary>', '<pre>\n```\n</pre>', '<style>*{}</style>') },
  { weight: 1, arbitrary: fc.constantFrom('```', '```powershell', '~~~', '````', '```\ncode\n```', '    indented code') },
  { weight: 2, arbitrary: fc.tuple(fc.integer({ min: 0, max: 60 }), fc.constantFrom('- ', '* ', '1. ', '10) ', '+ '), words).map(([depth, marker, t]) => `${'  '.repeat(depth)}${marker}${t}`) },
  { weight: 1, arbitrary: fc.constantFrom('', '', '---', '***', '\r', '\u2028', '\u0085', '\ufeff', '>'.repeat(200), '- '.repeat(150) + 'deep') },
);

const frontMatter = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  { weight: 3, arbitrary: fc.tuple(words, words, fc.constantFrom('en-us', 'ko-kr', 'ko', 'xx', '')).map(([title, description, locale]) => `---\ntitle: ${JSON.stringify(title)}\ndescription: ${JSON.stringify(description)}\nms.contentlocale: ${locale}\nms.date: 2024-01-01\nms.topic: article\n---\n`) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '---\ntitle: "unclosed\n---\n',
      '---\n\ttab: indented\n---\n',
      '---\n- a list\n- not a mapping\n---\n',
      '---\njust a scalar\n---\n',
      '---\ntitle: [1, 2\n---\n',
      '---\na: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n---\n',
      '---\ntitle: x\n',
      '---\n---\n',
      '--- \r\ntitle: crlf\r\n---\r\n',
      '---\n__proto__: {polluted: yes}\nconstructor: {prototype: {x: 1}}\n---\n',
      '---\ntitle: !!js/function "function(){}"\n---\n',
      '---\ntitle: 1e999\nms.date: 99999-99-99\n---\n',
    ),
  },
  { weight: 1, arbitrary: hostileString(30).map((junk) => `---\n${junk}\n---\n`) },
);

const markdownFile = fc.tuple(frontMatter, fc.array(line, { maxLength: 40 }), fc.constantFrom('\n', '\r\n')).map(([fm, lines, eol]) => fm + lines.join(eol));

const fileContent = fc.oneof(
  { weight: 12, arbitrary: markdownFile.map((text) => Buffer.from(text, 'utf8')) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 300 }).map((b) => Buffer.from(b)) },
  { weight: 1, arbitrary: markdownFile.map((text) => Buffer.concat([Buffer.from(text), Buffer.from([0xc3, 0x28, 0xff])])) },
  { weight: 1, arbitrary: markdownFile.map((text) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])) },
  { weight: 1, arbitrary: fc.constant(Buffer.alloc(0)) },
);

const fileName = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('add-users', 'reset-passwords', 'index', 'a', 'UPPER', '사용자-추가', 'with space', 'dots.in.name', 'hash#name', 'percent%20', 'question?x', 'emoji-🙂', '-', '_') },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('a', 'b', '-', '_', '한', ' ', '.'), minLength: 1, maxLength: 12 }).filter((n) => n !== '.' && n !== '..' && !n.startsWith('.') && n.trim() !== '') },
);

const folder = fc.constantFrom('en', 'ko', 'en-us', 'ko-kr', '', 'en/admin', 'ko/깊은/폴더', 'misc', 'xx');

const tree = fc.uniqueArray(fc.record({ folder, name: fileName, ext: fc.constantFrom('.md', '.md', '.md', '.MD', '.markdown', '.txt'), content: fileContent }), {
  minLength: 1,
  maxLength: 5,
  selector: (f) => path.join(f.folder, f.name + f.ext).toLowerCase(),
});

// --- the property -------------------------------------------------------------------------------

describe('fuzz: Docs Markdown ingest', function () {
  let root: string;
  let worker: IngestWorker;
  let counter = 0;
  let slowest = 0;

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ingest-fuzz-'));
    worker = new IngestWorker();
  });
  after(async () => {
    console.log(`      slowest ingest: ${Math.round(slowest)} ms`);
    await worker.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  /** Include targets every generated folder has: a part, a loop, a binary file, a symlink out. */
  function writeFolder(files: { folder: string; name: string; ext: string; content: Buffer }[]): { dir: string; markdown: string[] } {
    const dir = path.join(root, `case-${++counter}`);
    const markdown: string[] = [];
    for (const file of files) {
      const full = path.join(dir, file.folder, file.name + file.ext);
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, file.content);
      if (full.toLowerCase().endsWith('.md')) markdown.push(full);
    }
    for (const sub of ['', 'en', 'ko']) {
      const includes = path.join(dir, sub, 'includes');
      fs.mkdirSync(includes, { recursive: true });
      fs.writeFileSync(path.join(includes, 'part.txt'), 'not markdown');
      fs.writeFileSync(path.join(includes, 'binary.md'), Buffer.from([0, 1, 2]));
      fs.writeFileSync(path.join(includes, 'loop.md'), '[!INCLUDE [again](loop.md)]\nloop text');
      fs.writeFileSync(path.join(includes, 'part.md'), '---\ntitle: include\n---\nIncluded **text** with a [link](../add-users.md).');
      markdown.push(path.join(includes, 'binary.md'), path.join(includes, 'loop.md'), path.join(includes, 'part.md'));
      try {
        fs.symlinkSync('/etc/hostname', path.join(dir, sub, 'link-out.md'));
        markdown.push(path.join(dir, sub, 'link-out.md'));
      } catch {
        // no symlinks here: nothing to check
      }
    }
    return { dir, markdown };
  }

  async function ingest(dir: string, options: IngestOptions): Promise<{ first: IngestResult; second: IngestResult }> {
    const outcome = await worker.run([{ dir, baseUrl: BASE_URL }], options);
    assert.notEqual(outcome, 'timeout', `the ingest of ${dir} did not finish within ${DEADLINE_MS} ms`);
    if (outcome === 'timeout') throw new Error('unreachable');
    assert.ok(outcome.ok, `the ingest threw: ${'error' in outcome ? outcome.error : ''}`);
    if (!outcome.ok) throw new Error('unreachable');
    slowest = Math.max(slowest, outcome.ms);
    return outcome;
  }

  function checkResult(result: IngestResult, markdown: string[]): void {
    // Every .md file (symlinks are followed by the walk only when they are files) is accounted for.
    const accounted = new Set([...result.articles.map((a) => a.path), ...result.skipped.map((s) => s.path)]);
    for (const skipped of result.skipped) assert.ok(skipped.reason.trim().length > 0, `a reason for ${skipped.path}`);
    // The walk takes regular files only (a symlink is never an article, though an include may follow one).
    const walked = markdown.filter((file) => fs.lstatSync(file, { throwIfNoEntry: false })?.isFile());
    assert.equal(result.articles.length + result.skipped.length, walked.length, `articles + skipped = .md files (${[...accounted].join(', ')})`);
    const ids = new Set<string>();
    for (const article of result.articles) {
      assert.ok(article.sections.length > 0, `${article.path} has sections`);
      for (const section of article.sections) {
        assert.equal(section.id, `${article.path}#${section.anchor}`);
        assert.equal(section.articlePath, article.path);
        assert.ok(!ids.has(section.id), `section id ${section.id} is unique`);
        ids.add(section.id);
        assert.ok(section.url.startsWith(BASE_URL), `${section.url} stays below the base URL`);
        // "Read more" leads to this article: /help/<path without .md>, whatever the file is called.
        const url = new URL(section.url);
        assert.equal(decodeURIComponent(url.pathname), new URL(BASE_URL).pathname + article.path.replace(/\.md$/i, ''), `${section.url} names ${article.path}`);
        // The help page groups sections by the id up to its last "#".
        assert.equal(section.id.slice(0, section.id.lastIndexOf('#')), article.path, `${section.id} splits back into its article`);
        for (const link of section.links) assert.doesNotMatch(link.href, /^(javascript|data|vbscript):/i, 'no script links survive');
      }
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'front matter cannot pollute Object.prototype');
  }

  it('never throws, skips bad files with a reason, keeps section ids unique and stable (200 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(tree, fc.constantFrom(undefined, 4096, 64 * 1024), async (files, maxFileBytes) => {
        const { dir, markdown } = writeFolder(files);
        try {
          const options: IngestOptions = maxFileBytes ? { maxFileBytes } : {};
          const { first, second } = await ingest(dir, options);
          checkResult(first, markdown);
          assert.deepEqual(second, first, 'the same input gives the same articles and ids');

          // An unrelated file changes nothing about the others.
          fs.writeFileSync(path.join(dir, 'zz-unrelated-extra.md'), '# Unrelated\n\nSome text.\n');
          const { first: withExtra } = await ingest(dir, options);
          assert.deepEqual(withExtra.articles.filter((a) => a.path !== 'zz-unrelated-extra.md'), first.articles);
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      }),
      // A case that hits the deadline shrinks slowly (each failing try waits for it): stop shrinking
      // after a minute and report the smallest case found so far.
      { ...fuzzParameters(200), interruptAfterTimeLimit: 60_000, markInterruptAsFailure: true },
    );
  });
});
