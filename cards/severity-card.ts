// Severity card: A/B/C with definition, examples, first-response target and working hours; the one
// the user asked about is highlighted.
import template from './templates/severity.json';
import { limitActions, render, RenderedCard, Suggestion } from './render';

export interface SeverityView {
  name: string;
  definition: string;
  examples: string[];
  response: string;
  workingHours: string;
  responsibilities?: string;
  highlighted?: boolean;
}

export interface SeverityCardData {
  title: string;
  severities: SeverityView[];
  notes: string[];
  labels: { response: string; workingHours: string; examples: string; responsibilities: string; notes: string };
  suggestions?: Suggestion[];
}

export function severityCard(data: SeverityCardData): RenderedCard {
  const view = {
    ...data,
    severities: data.severities.map((s) => ({ ...s, responsibilities: s.responsibilities ?? '', style: s.highlighted ? 'emphasis' : 'default' })),
    suggestions: limitActions(data.suggestions ?? []),
  };
  return render(template, view, severityText(data));
}

export function severityText(data: SeverityCardData): string {
  const out = [data.title];
  for (const s of data.severities) {
    out.push('', s.name, s.definition, `${data.labels.response}: ${s.response}`, `${data.labels.workingHours}: ${s.workingHours}`);
    out.push(`${data.labels.examples}:`, ...s.examples.map((e) => `- ${e}`));
    if (s.responsibilities) out.push(`${data.labels.responsibilities}: ${s.responsibilities}`);
  }
  if (data.notes.length) out.push('', ...data.notes);
  return out.join('\n');
}
