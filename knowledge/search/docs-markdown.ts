// Docs-flavoured Markdown to plain text. markdown-it does the CommonMark parsing and htmlparser2 the
// HTML inside it (spans, <ul><li> in table cells); this file only adds what Docs layers on top.
import MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';
import { Parser } from 'htmlparser2';
import type { SectionLink } from './types';

const markdown = new MarkdownIt({ html: true, linkify: false, typographer: false });

const CALLOUT_LABELS: Record<string, Record<string, string>> = {
  en: { NOTE: 'Note', IMPORTANT: 'Important', TIP: 'Tip', CAUTION: 'Caution', WARNING: 'Warning' },
  ko: { NOTE: '참고', IMPORTANT: '중요', TIP: '팁', CAUTION: '주의', WARNING: '경고' },
};

/**
 * Machine-translated pages carry each sentence twice: the translation in `<span data-ttu-id>` and the
 * English original in `<span class="sxs-lookup">`. Keep the translation only.
 */
export function stripSideBySide(text: string): string {
  return text
    .replace(/<span class="sxs-lookup"><span data-stu-id="[^"]*">[\s\S]*?<\/span><\/span>/g, '')
    .replace(/<span data-ttu-id="[^"]*">([\s\S]*?)<\/span>/g, '$1');
}

/** `> [!NOTE]` becomes a labelled line, `[!VIDEO url]` is dropped; other `[!X]` pass through. */
export function rewriteCallout(line: string, language: string): string | null {
  // (One way to match each blank: /^\s*>?\s*\[!VIDEO\s+[^\]]*\]/ was quadratic on a line of spaces.)
  if (/^\s*(?:>\s*)?\[!VIDEO\s[^\]]*\]\s*$/i.test(line)) return null;
  const callout = /^(\s*>\s*)\[!(NOTE|IMPORTANT|TIP|CAUTION|WARNING)\]\s*$/i.exec(line);
  if (!callout) return line;
  const labels = CALLOUT_LABELS[language] ?? CALLOUT_LABELS.en;
  return `${callout[1]}${labels[callout[2].toUpperCase()]}:`;
}

const BLOCK_TAGS = new Set(['p', 'div', 'tr', 'ul', 'ol', 'table', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'br']);

/** Text of an HTML fragment: list items on their own lines, cells separated, entities decoded. */
export function htmlToText(html: string): string {
  let out = '';
  const parser = new Parser(
    {
      onopentag(name) {
        if (name === 'li') out += '\n- ';
        else if (name === 'td' || name === 'th') out += ' ';
        else if (BLOCK_TAGS.has(name)) out += '\n';
      },
      ontext(text) {
        out += text;
      },
      onclosetag(name) {
        if (name === 'td' || name === 'th') out += ' |';
        else if (name === 'p' || name === 'div' || name === 'tr') out += '\n';
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return out;
}

export interface TextOptions {
  /** Turns a link's href (maybe relative) into an absolute URL; null drops it. */
  resolveLink: (href: string) => string | null;
}

export interface MarkdownText {
  text: string;
  links: SectionLink[];
}

/** Renders Markdown to readable plain text and collects its links (made absolute). */
export function markdownToText(source: string, options: TextOptions): MarkdownText {
  const tokens = markdown.parse(source, {});
  const links: SectionLink[] = [];
  const out: string[] = [];
  const listCounters: (number | null)[] = [];

  const inline = (children: Token[]): string => {
    let text = '';
    let link: { href: string; start: number } | null = null;
    for (const child of children) {
      switch (child.type) {
        case 'text':
        case 'code_inline':
          text += child.content;
          break;
        case 'softbreak':
          text += ' ';
          break;
        case 'hardbreak':
          text += '\n';
          break;
        case 'image':
          text += child.content;
          break;
        case 'html_inline':
          text += htmlToText(child.content);
          break;
        case 'link_open':
          link = { href: child.attrGet('href') ?? '', start: text.length };
          break;
        case 'link_close':
          if (link) {
            const href = options.resolveLink(link.href);
            const label = text.slice(link.start).trim();
            if (href && label) links.push({ text: label, href });
          }
          link = null;
          break;
        default:
          if (child.children) text += inline(child.children);
      }
    }
    return text;
  };

  for (const token of tokens) {
    switch (token.type) {
      case 'bullet_list_open':
        listCounters.push(null);
        break;
      case 'ordered_list_open':
        listCounters.push(Number(token.attrGet('start') ?? 1));
        break;
      case 'bullet_list_close':
      case 'ordered_list_close':
        listCounters.pop();
        out.push('\n');
        break;
      case 'list_item_open': {
        const depth = listCounters.length - 1;
        const counter = listCounters[depth];
        const indent = '  '.repeat(Math.max(0, depth));
        if (counter === null || counter === undefined) out.push(`${indent}- `);
        else {
          out.push(`${indent}${counter}. `);
          listCounters[depth] = counter + 1;
        }
        break;
      }
      case 'inline':
        out.push(inline(token.children ?? []));
        break;
      case 'paragraph_close':
      case 'heading_close':
        out.push('\n');
        break;
      case 'th_close':
      case 'td_close':
        out.push(' | ');
        break;
      case 'tr_close':
        out.push('\n');
        break;
      case 'fence':
      case 'code_block':
        out.push(token.content, '\n');
        break;
      case 'html_block':
        out.push(htmlToText(token.content), '\n');
        break;
      default:
        break;
    }
  }
  return { text: tidy(out.join('')), links };
}

/** Trailing spaces, runs of blank lines and stray table separators cleaned up. */
export function tidy(text: string): string {
  return text
    .split('\n')
    .map(trimBlanksEnd)
    .join('\n')
    .replace(/ \| \n/g, '\n')
    .replace(/\n[ \t]*\n(?:[ \t]*\n)+/g, '\n\n')
    .replace(/\u00a0/g, ' ')
    .trim();
}

/** A line without its trailing spaces and tabs; a loop, since /[ \t]+\n/ is quadratic on long runs of blanks. */
function trimBlanksEnd(line: string): string {
  let end = line.length;
  while (end > 0 && (line[end - 1] === ' ' || line[end - 1] === '\t')) end--;
  return end === line.length ? line : line.slice(0, end);
}

/** The text of one heading line's Markdown, without anchors and HTML. */
export function inlineText(source: string): string {
  return markdownToText(source, { resolveLink: () => null }).text.replace(/\s+/g, ' ').trim();
}

/** Docs-style anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
export function slugify(heading: string): string {
  return heading
    .toLowerCase()
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s+/g, '-');
}
