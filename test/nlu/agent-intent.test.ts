import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CONFIDENCE_THRESHOLD, Intent, LanguageUnderstanding } from '../../knowledge/nlu';
import { loadModel, saveModel, train, UTTERANCES } from '../../knowledge/nlu/model';

// "I want a person": the agent intent, and its neighbours that must keep their own intent
// (calling is phone_number, "what can you do" is help, a language is languages).
// Marked (trained) where the phrasing is in the utterance files; the rest are unseen.
const cases: [string, 'en' | 'ko', Intent][] = [
  ['I want a real human', 'en', 'agent'],
  ['please connect me with an agent', 'en', 'agent'],
  ['let me speak to a real human being', 'en', 'agent'],
  ["I'd like to be transferred to a live representative", 'en', 'agent'],
  ['can I chat with a human agent please', 'en', 'agent'],
  ['escalate me to someone real', 'en', 'agent'],
  ['상담원이랑 얘기하고 싶어요', 'ko', 'agent'],
  ['사람 연결해 주세요', 'ko', 'agent'],
  ['봇 말고 상담원', 'ko', 'agent'],
  ['진짜 사람이랑 이야기할래요', 'ko', 'agent'],
  ['에이전트랑 채팅하고 싶어요', 'ko', 'agent'],
  ['담당자랑 얘기하게 해 주세요', 'ko', 'agent'],
  ['상담원 불러줘', 'ko', 'agent'],

  ['I need to speak to someone on the phone', 'en', 'phone_number'], // (trained)
  ["I'd like to talk to a support engineer by phone", 'en', 'phone_number'], // (trained)
  ['what number do I call to talk to a person', 'en', 'phone_number'],
  ['can I phone a real person at Microsoft', 'en', 'phone_number'],
  ['call a support agent', 'en', 'phone_number'],
  ['전화로 상담하고 싶어요', 'ko', 'phone_number'],
  ['상담원과 통화하고 싶어요', 'ko', 'phone_number'], // (trained)
  ['사람이랑 통화하려면 몇 번으로 걸어요', 'ko', 'phone_number'],
  ['상담원한테 전화하고 싶어요', 'ko', 'phone_number'],

  ['what can you do', 'en', 'help'], // (trained)
  ['how can you help me', 'en', 'help'], // (trained)
  ['도와줘', 'ko', 'help'], // (trained)
  ['can I talk to someone in Spanish', 'en', 'languages'], // (trained)
  ['Korean speaking agent', 'en', 'languages'], // (trained)
  ['한국어 상담원 있어요', 'ko', 'languages'], // (trained)
  ['why do I need to give the agent a code', 'en', 'pin_verification'],
  ['회사 밖 사람을 게스트로 초대하는 방법', 'ko', 'other'],
];

describe('agent intent (talk to a person)', function () {
  this.timeout(120_000);
  let understanding: LanguageUnderstanding;
  before(() => {
    understanding = LanguageUnderstanding.load();
  });

  for (const [text, lang, intent] of cases) {
    it(`${lang}: "${text}" -> ${intent}`, () => {
      const result = understanding.understand(text, lang);
      assert.equal(result.intent, intent, JSON.stringify({ intent: result.intent, confidence: result.confidence, alternatives: result.alternatives }));
      assert.ok(result.confidence >= CONFIDENCE_THRESHOLD, `confident enough: ${result.confidence}`);
    });
  }

  it('has training phrasings in both languages', () => {
    assert.ok(UTTERANCES.en.agent.length >= 30, `en: ${UTTERANCES.en.agent.length}`);
    assert.ok(UTTERANCES.ko.agent.length >= 25, `ko: ${UTTERANCES.ko.agent.length}`);
  });

  it('retrains instead of loading a model saved from other utterances', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nlu-stale-'));
    try {
      const before = { a: ['apple pie', 'apple tart'], b: ['banana bread', 'banana cake'] };
      const file = path.join(dir, 'x.json');
      saveModel(train(before, { kind: 'bayes' }), file, before);
      assert.ok(loadModel(file, before), 'same utterances: the saved model is used');
      assert.equal(loadModel(file, { ...before, c: ['cherry jam'] }), undefined, 'utterances changed since: stale');
      assert.ok(loadModel(file), 'without utterances to compare, any readable model loads');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
