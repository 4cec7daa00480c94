// Contact card: one section per directory entry (market, when it applies, numbers with tap-to-call,
// hours per support line with open-now status), then the PIN note.
import template from './templates/contact.json';
import { limitActions, render, RenderedCard, Suggestion } from './render';

export interface PhoneLineView {
  /** e.g. "Billing support · English" */
  heading: string;
  /** Hours in the support team's zone. */
  team: string;
  /** The same hours in the user's zone, when known and different. */
  viewer?: string;
  /** "Open now" / "Closed now; opens Mon 9:00 AM". */
  status?: string;
  open?: boolean | null;
}

export interface PhoneNumberView {
  display: string;
  /** Digits (with +) for the tel: link. */
  dial: string;
  /** Carrier, plan or "Alternative number", with notes such as call charges. */
  caption?: string;
  callTitle: string;
}

export interface ContactSectionView {
  market: string;
  appliesTo: string;
  numbers: PhoneNumberView[];
  lines: PhoneLineView[];
  notes: string[];
}

export interface ContactCardData {
  title: string;
  sections: ContactSectionView[];
  pinTitle?: string;
  pinNote?: string;
  prepare?: string;
  suggestions?: Suggestion[];
}

export function telUrl(dial: string): string {
  const digits = dial.replace(/[^\d+]/g, '');
  if (!/^\+?\d{5,16}$/.test(digits)) throw new Error('not a dialable number');
  return `tel:${digits}`;
}

export function statusColor(open: boolean | null | undefined): string {
  return open === true ? 'Good' : open === false ? 'Attention' : 'Default';
}

export function contactCard(data: ContactCardData): RenderedCard {
  const firstNumbers = data.sections.flatMap((s) => s.numbers).slice(0, 2);
  const callActions = firstNumbers.map((n) => ({ title: n.callTitle, url: telUrl(n.dial) }));
  const view = {
    title: data.title,
    sections: data.sections.map((s) => ({
      ...s,
      numbers: s.numbers.map((n) => ({ ...n, caption: n.caption ?? '', telUrl: telUrl(n.dial) })),
      lines: s.lines.map((l) => ({ ...l, viewer: l.viewer ?? '', status: l.status ?? '', statusColor: statusColor(l.open) })),
    })),
    pinTitle: data.pinTitle ?? '',
    pinNote: data.pinNote ?? '',
    prepare: data.prepare ?? '',
    callActions,
    suggestions: limitActions(data.suggestions ?? [], callActions.length),
  };
  return render(template, view, contactText(data));
}

export function contactText(data: ContactCardData): string {
  const out = [data.title];
  for (const s of data.sections) {
    out.push('', s.market, s.appliesTo);
    for (const n of s.numbers) out.push(`${n.display}${n.caption ? ` (${n.caption})` : ''}`);
    for (const l of s.lines) out.push(`${l.heading}: ${l.team}${l.viewer ? ` / ${l.viewer}` : ''}${l.status ? ` (${l.status})` : ''}`);
    out.push(...s.notes);
  }
  if (data.pinNote) out.push('', `${data.pinTitle ?? ''} ${data.pinNote}`.trim());
  if (data.prepare) out.push(data.prepare);
  return out.join('\n');
}
