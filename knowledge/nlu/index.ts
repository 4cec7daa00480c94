// Language understanding: intent (natural classifier over words, Korean morphemes and concept tags)
// plus entities. Low confidence is reported honestly so the dialog can ask instead of guessing.
import path from 'node:path';
import { concepts, features, hasHangul } from './analyzers';
import { extractEntities, Entities } from './entities';
import { defaultModelDir, Lang, loadModel, scorerFor, train, TrainedClassifier, UTTERANCES } from './model';

export type { Entities } from './entities';
export { countryName } from './entities';

export type Intent =
  | 'phone_number'
  | 'hours'
  | 'languages'
  | 'pin_verification'
  | 'severity_response'
  | 'severity_a_eligibility'
  | 'support_scope'
  | 'partner'
  | 'not_admin'
  | 'service_health'
  | 'online_request'
  | 'community'
  /** The user wants a person (chat with a support agent), not the bot; calling stays phone_number. */
  | 'agent'
  | 'greeting'
  | 'help'
  | 'cancel'
  | 'thanks'
  | 'other';

export interface Understanding {
  intent: Intent;
  /** 0..1: the top intent's share of the classifier's probability. */
  confidence: number;
  alternatives: { intent: Intent; confidence: number }[];
  entities: Entities;
  /** The language the text was understood in (Hangul text uses the Korean model whatever the locale). */
  locale: Lang;
}

/**
 * Below this, the bot asks a clarifying question. Chosen on the held-out split: at 0.25 no
 * nonsense input is answered, and raising it drops right answers without catching wrong ones
 * (the classifier's mistakes are confident).
 */
export const CONFIDENCE_THRESHOLD = 0.25;

export class LanguageUnderstanding {
  readonly threshold = CONFIDENCE_THRESHOLD;

  private constructor(private readonly models: Record<Lang, TrainedClassifier>) {}

  /** Loads the models `npm run build` trained; trains in-process when they are missing or older than the utterances. */
  static load(options: { modelDir?: string } = {}): LanguageUnderstanding {
    const dir = options.modelDir ?? defaultModelDir();
    const model = (lang: Lang) => loadModel(path.join(dir, `${lang}.json`), UTTERANCES[lang]) ?? train(UTTERANCES[lang]);
    return new LanguageUnderstanding({ en: model('en'), ko: model('ko') });
  }

  static fromModels(models: Record<Lang, TrainedClassifier>): LanguageUnderstanding {
    return new LanguageUnderstanding(models);
  }

  understand(text: string, locale: Lang): Understanding {
    const lang: Lang = hasHangul(text) ? 'ko' : /[a-z]/i.test(text) ? 'en' : locale;
    const entities = extractEntities(text);
    const classified = classify(this.models[lang], text);
    return { ...placeAndPhoneRule(text, entities, classified), entities, locale: lang };
  }
}

// Topics whose words, next to phone words, mean the question is not simply "which number".
const OTHER_TOPICS = ['#pin', '#hours', '#language', '#health', '#severity', '#scope', '#partner', '#nonadmin', '#community', '#eligibility'];

/**
 * A named place (country, city or cloud) plus phone words and no other topic's words is a request
 * for the number, whatever the classifier made of the rest of the sentence.
 */
function placeAndPhoneRule(
  text: string,
  entities: Entities,
  classified: Pick<Understanding, 'intent' | 'confidence' | 'alternatives'>,
): Pick<Understanding, 'intent' | 'confidence' | 'alternatives'> {
  if (classified.intent === 'phone_number' || !(entities.country || entities.cloud)) return classified;
  const tags = concepts(text);
  if (!tags.includes('#phone') || tags.some((t) => OTHER_TOPICS.includes(t))) return classified;
  const alternatives = [{ intent: classified.intent, confidence: classified.confidence }, ...classified.alternatives.filter((a) => a.intent !== 'phone_number')];
  return { intent: 'phone_number', confidence: Math.max(classified.confidence, 0.9), alternatives: alternatives.slice(0, 4) };
}

export function classify(model: TrainedClassifier, text: string): Pick<Understanding, 'intent' | 'confidence' | 'alternatives'> {
  const tokens = features(text, model.analyzer);
  const known = tokens.filter((t) => Object.prototype.hasOwnProperty.call(model.features, t));
  // Nothing the model has seen: no basis for any intent.
  if (known.length === 0) return { intent: 'other', confidence: 0, alternatives: [] };
  const ranked = scorerFor(model)(known);
  // Logistic regression gives one sigmoid per intent; a softmax over their logits (their odds,
  // normalised) turns them into shares that sum to one. Bayes values are already proportional.
  const weight = (p: number) => (model.kind === 'logistic' ? Math.min(p, 1 - 1e-9) / Math.max(1 - p, 1e-9) : p);
  const total = ranked.reduce((sum, r) => sum + weight(r.value), 0);
  const scored = ranked.map((r) => ({ intent: r.label as Intent, confidence: total > 0 && Number.isFinite(total) ? weight(r.value) / total : 0 }));
  const [top, ...rest] = scored;
  return { intent: top.intent, confidence: top.confidence, alternatives: rest.slice(0, 4) };
}
