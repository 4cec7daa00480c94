// Clarifying question: a few likely topics as buttons when the bot is unsure what was asked.
import template from './templates/clarify.json';
import { limitActions, render, RenderedCard, Suggestion } from './render';

export interface ClarifyCardData {
  question: string;
  choices: Suggestion[];
}

export function clarifyCard(data: ClarifyCardData): RenderedCard {
  const choices = limitActions(data.choices, 1);
  return render(template, { question: data.question, choices }, [data.question, ...choices.map((c) => `- ${c.title}`)].join('\n'));
}
