// Agent text reaches Web Chat and Teams as plain text: tags become their text, unsafe link schemes
// are taken out, and the activity says textFormat "plain" so neither client renders markdown or HTML.
import { DomUtils, parseDocument } from 'htmlparser2';

export const MAX_AGENT_TEXT = 4000;
const UNSAFE_SCHEME = /\b(?:javascript|vbscript|data|file)\s*:/gi;
// Control characters other than tab and newline.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g;

export function plainAgentText(raw: string): string {
  let text = raw.normalize('NFC').replace(CONTROL, '');
  // Anything that looks like markup is reduced to its text (entities decoded once, tags dropped).
  if (/[<&]/.test(text)) text = DomUtils.textContent(parseDocument(text, { decodeEntities: true }));
  text = text.replace(UNSAFE_SCHEME, '[link removed] ');
  return text.replace(/\n{3,}/g, '\n\n').trim().slice(0, MAX_AGENT_TEXT);
}
