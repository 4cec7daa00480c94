// Hours card: support lines grouped by directory entry, each with team-time and user-time hours and
// whether it is open right now.
import template from './templates/hours.json';
import type { PhoneLineView } from './contact-card';
import { statusColor } from './contact-card';
import { limitActions, render, RenderedCard, Suggestion } from './render';

export interface HoursSectionView {
  heading?: string;
  appliesTo?: string;
  lines: PhoneLineView[];
}

export interface HoursCardData {
  title: string;
  sections: HoursSectionView[];
  notes?: string[];
  suggestions?: Suggestion[];
}

export function hoursCard(data: HoursCardData): RenderedCard {
  const view = {
    title: data.title,
    sections: data.sections.map((s) => ({
      heading: s.heading ?? '',
      appliesTo: s.appliesTo ?? '',
      lines: s.lines.map((l) => ({ ...l, viewer: l.viewer ?? '', status: l.status ?? '', statusColor: statusColor(l.open) })),
    })),
    notes: data.notes ?? [],
    suggestions: limitActions(data.suggestions ?? []),
  };
  return render(template, view, hoursText(data));
}

export function hoursText(data: HoursCardData): string {
  const out = [data.title];
  for (const s of data.sections) {
    if (s.heading) out.push('', s.heading);
    if (s.appliesTo) out.push(s.appliesTo);
    for (const l of s.lines) out.push(`${l.heading}: ${l.team}${l.viewer ? ` / ${l.viewer}` : ''}${l.status ? ` (${l.status})` : ''}`);
  }
  if (data.notes?.length) out.push('', ...data.notes);
  return out.join('\n');
}
