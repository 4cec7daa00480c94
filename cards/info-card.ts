// Info card: a titled answer with paragraphs, numbered steps, bullets, facts, links and follow-ups.
import template from './templates/info.json';
import { limitActions, Link, render, RenderedCard, Suggestion } from './render';

export interface InfoCardData {
  title: string;
  paragraphs: string[];
  steps?: string[];
  bullets?: string[];
  facts?: { title: string; value: string }[];
  links?: Link[];
  footer?: string;
  suggestions?: Suggestion[];
}

export function infoCard(data: InfoCardData): RenderedCard {
  const links = limitActions(data.links ?? []);
  const view = {
    title: data.title,
    paragraphs: data.paragraphs,
    // Numbered in the data so the numbers survive channels that drop markdown lists.
    steps: (data.steps ?? []).map((s, i) => `${i + 1}. ${s}`),
    bullets: data.bullets ?? [],
    facts: data.facts ?? [],
    footer: data.footer ?? '',
    links,
    suggestions: limitActions(data.suggestions ?? [], links.length),
  };
  return render(template, view, infoText(data));
}

export function infoText(data: InfoCardData): string {
  const out = [data.title, ...data.paragraphs];
  (data.steps ?? []).forEach((s, i) => out.push(`${i + 1}. ${s}`));
  for (const b of data.bullets ?? []) out.push(`- ${b}`);
  for (const f of data.facts ?? []) out.push(`${f.title}: ${f.value}`);
  for (const l of data.links ?? []) out.push(`${l.title}: ${l.url}`);
  if (data.footer) out.push(data.footer);
  return out.join('\n');
}
