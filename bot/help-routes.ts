// "Read more" lands here: each indexed article as a plain, self-contained HTML page. Article text is
// escaped, links are kept only when they are http(s), and the page loads nothing from elsewhere.
import type { Route } from './server';
import { sendError } from './server';
import type { HelpSection } from '../knowledge/search/types';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

const CLOUD_NAMES: Record<string, string> = { worldwide: 'Microsoft 365', '21vianet': 'Office 365 operated by 21Vianet', germany: 'Office 365 Germany' };

export function renderArticle(sections: HelpSection[]): string {
  const first = sections[0];
  const body = sections
    .map((section) => {
      const tag = section === first ? 'h1' : section.level <= 2 ? 'h2' : 'h3';
      const paragraphs = section.segments
        .map((segment) => {
          const label = segment.clouds ? `<p class="cloud">${escapeHtml(segment.clouds.map((c) => CLOUD_NAMES[c] ?? c).join(', '))}</p>` : '';
          const text = segment.text.split(/\n{2,}/).map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`).join('\n');
          return `${label}\n${text}`;
        })
        .join('\n');
      const links = section.links
        .filter((l) => /^https?:\/\//i.test(l.href))
        .map((l) => `<li><a href="${escapeHtml(l.href)}" rel="noopener noreferrer">${escapeHtml(l.text)}</a></li>`)
        .join('');
      return `<section id="${escapeHtml(section.anchor)}"><${tag}>${escapeHtml(section.heading)}</${tag}>\n${paragraphs}${links ? `<ul class="links">${links}</ul>` : ''}</section>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="${escapeHtml(first.language)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(first.articleTitle)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5}.cloud{font-size:.85em;color:#555;border-left:3px solid #888;padding-left:.5em}</style>
</head><body>
${body}
</body></html>`;
}

export function helpRoutes(sectionsOf: (articlePath: string) => HelpSection[]): Route[] {
  return [
    {
      method: 'get',
      path: '/help/*',
      handler: (req, res) => {
        let wanted: string;
        try {
          wanted = decodeURIComponent(req.path().replace(/^\/help\//, '')).replace(/\/+$/, '');
        } catch {
          return sendError(res, 404); // a malformed %-escape names no article
        }
        const sections = wanted.length <= 400 ? sectionsOf(`${wanted}.md`) : [];
        if (sections.length === 0) return sendError(res, 404);
        const html = renderArticle(sections);
        res.writeHead(200, {
          'Content-Type': 'text/html; charset=utf-8',
          'Content-Length': Buffer.byteLength(html),
          'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
          'X-Content-Type-Options': 'nosniff',
        });
        res.end(html);
      },
    },
  ];
}
