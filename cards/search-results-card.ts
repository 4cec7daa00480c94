// Help-search results: the best sections with a snippet (matched words in bold), a "Read more" link
// each, and "Did this help?" buttons. Article text and the question travel only as template data.
import template from './templates/search-results.json';
import { escapeMarkdown, limitActions, render, RenderedCard } from './render';

export interface SnippetPiece {
  text: string;
  match: boolean;
}

export interface SearchResultView {
  heading: string;
  article: string;
  snippet: SnippetPiece[];
  url: string;
}

/** A button: feedback on the search, or "did you mean" one of two close results. */
export interface SearchChoice {
  title: string;
  action: 'searchFeedback' | 'showSection';
  searchId: string;
  helpful?: 'yes' | 'no';
  sectionId?: string;
}

export interface SearchResultsCardData {
  title: string;
  note?: string;
  results: SearchResultView[];
  readMoreLabel: string;
  question: string;
  choices: SearchChoice[];
}

/** Only http(s) links, with the characters that would end a markdown link escaped. */
export function safeUrl(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
    return parsed.toString().replace(/[()<> ]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  } catch {
    return undefined;
  }
}

export function snippetMarkdown(pieces: SnippetPiece[]): string {
  return pieces
    .map((p) => {
      const text = escapeMarkdown(p.text);
      if (!p.match) return text;
      // Emphasis must not open or close on a space.
      const core = text.trim();
      return core ? text.replace(core, `**${core}**`) : text;
    })
    .join('');
}

export function searchResultsCard(data: SearchResultsCardData): RenderedCard {
  const view = {
    title: data.title,
    note: data.note ?? '',
    question: data.question,
    results: data.results.map((r) => {
      const url = safeUrl(r.url);
      return {
        heading: escapeMarkdown(r.heading),
        article: escapeMarkdown(r.article),
        snippet: snippetMarkdown(r.snippet),
        readMore: url ? `[${escapeMarkdown(data.readMoreLabel)}](${url})` : '',
      };
    }),
    choices: limitActions(data.choices).map((c) => ({ helpful: '', sectionId: '', ...c })),
  };
  return render(template, view, searchResultsText(data));
}

export function searchResultsText(data: SearchResultsCardData): string {
  const out = [data.title];
  if (data.note) out.push(data.note);
  data.results.forEach((r, i) => {
    const url = safeUrl(r.url);
    out.push(r.article ? `${i + 1}. ${r.heading} (${r.article})` : `${i + 1}. ${r.heading}`, `   ${r.snippet.map((p) => p.text).join('')}`);
    if (url) out.push(`   ${url}`);
  });
  if (data.question) out.push(data.question);
  return out.join('\n');
}
