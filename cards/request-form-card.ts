// The request form: description, category, severity (with what each means), contact phone and
// email, and how to be contacted. Values and error messages travel as template data only; the
// server validates the submission again whatever the card allowed.
import template from './templates/request-form.json';
import { render, RenderedCard } from './render';

interface Choice {
  title: string;
  value: string;
}

export interface RequestFormData {
  title: string;
  intro: string;
  /** Shown above the inputs when a submission was refused. */
  problem?: string;
  submit: string;
  labels: { description: string; category: string; severity: string; phone: string; email: string; method: string };
  errors: { description: string; category: string; severity: string; phone: string; email: string; method: string };
  values: { description: string; category: string; severity: string; phone: string; email: string; method: string };
  categories: Choice[];
  severities: Choice[];
  /** One line per severity: its definition. */
  severityHelp: string[];
  methods: Choice[];
}

export function requestFormCard(data: RequestFormData): RenderedCard {
  const text = [data.title, data.intro, ...(data.problem ? [data.problem] : []), ...data.severityHelp].join('\n');
  return render(template, { ...data, problem: data.problem ?? '' }, text);
}
