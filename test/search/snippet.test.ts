// Snippets keep each section's sentences and terms per analyzer: a cached snippet must be the one a
// fresh analysis gives, the analysis must run once per text, and the cache must stay bounded.
import assert from 'node:assert/strict';
import { Analyzer, analyzerFor } from '../../knowledge/search/analyzers';
import { MAX_CACHED_TEXTS, snippet, snippetText } from '../../knowledge/search/snippet';

const SECTION = [
  'To create a shared mailbox, sign in to the admin center.',
  '1. Go to Teams & groups > Shared mailboxes.',
  '2. Select Add a shared mailbox and enter a name and an email address.',
  'Members can read and send mail from the mailbox. A shared mailbox does not need a license.',
  'Passwords: a shared mailbox has no password of its own, so nobody signs in to it directly.',
].join('\n');
const KOREAN_SECTION = '공유 사서함을 만들려면 관리 센터에 로그인합니다.\n1. 팀 및 그룹으로 이동합니다.\n2. 공유 사서함 추가를 선택하고 이름과 전자 메일 주소를 입력합니다. 라이선스는 필요하지 않습니다.';

/** An analyzer of its own (so an empty cache) that counts the texts it was asked for. */
function counting(base: Analyzer): { analyzer: Analyzer; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const analyzer = {
    name: base.name,
    terms: (text: string) => {
      calls.set(text, (calls.get(text) ?? 0) + 1);
      return base.terms(text);
    },
  };
  return { analyzer, calls };
}

describe('snippet cache', () => {
  const cases: [string, string, string][] = [
    ['en', SECTION, 'shared mailbox license'],
    ['en', SECTION, 'password sign in'],
    ['en', SECTION, 'nothing matches here'],
    ['ko', KOREAN_SECTION, '공유 사서함 라이선스'],
    ['ko', KOREAN_SECTION, 'email 주소'],
  ];

  it('gives a cached analysis the same snippet as a fresh one', () => {
    for (const [language, text, question] of cases) {
      const shared = analyzerFor(language);
      const terms = shared.terms(question);
      for (const max of [40, 120, 260, 520]) {
        const fresh = snippet(text, terms, counting(shared).analyzer, max);
        const first = snippet(text, terms, shared, max);
        const again = snippet(text, terms, shared, max);
        assert.deepEqual(first, fresh, `${language} "${question}" ${max}`);
        assert.deepEqual(again, fresh, `${language} "${question}" ${max} (cached)`);
      }
    }
  });

  it('analyses a text and a word once, whatever the matched terms', () => {
    const { analyzer, calls } = counting(analyzerFor('en'));
    const first = snippet(SECTION, ['mailbox'], analyzer);
    const seen = new Map(calls);
    assert.deepEqual(snippet(SECTION, ['mailbox'], analyzer), first);
    assert.deepEqual(calls, seen, 'analysed again');
    const other = snippet(SECTION, ['password'], analyzer);
    assert.match(snippetText(other), /password/);
    assert.notDeepEqual(other, first);
    for (const [text, n] of seen) assert.equal(calls.get(text), n, `"${text}" analysed again`);
    assert.ok(calls.size > seen.size, 'the other window has words of its own');
  });

  it('does not share entries between analyzers of the same name', () => {
    const english = analyzerFor('en');
    const upper: Analyzer = { name: english.name, terms: (text) => english.terms(text).map((t) => t.toUpperCase()) };
    const plain = snippet(SECTION, ['mailbox'], english);
    const shouting = snippet(SECTION, ['MAILBOX'], upper);
    assert.deepEqual(shouting, plain);
    assert.ok(plain.some((p) => p.match));
    assert.ok(!snippet(SECTION, ['mailbox'], upper).some((p) => p.match));
  });

  it('keeps at most MAX_CACHED_TEXTS texts, forgetting the oldest first', () => {
    const { analyzer, calls } = counting(analyzerFor('en'));
    const text = (i: number) => `Section ${i} about mailboxes.`;
    for (let i = 0; i <= MAX_CACHED_TEXTS; i++) snippet(text(i), ['mailbox'], analyzer);
    snippet(text(MAX_CACHED_TEXTS), ['mailbox'], analyzer);
    assert.equal(calls.get(text(MAX_CACHED_TEXTS)), 1, 'the newest is still kept');
    snippet(text(0), ['mailbox'], analyzer);
    assert.equal(calls.get(text(0)), 2, 'the oldest was dropped');
  });

  it('hands out one analyzer object per analyzer, frozen', () => {
    assert.equal(analyzerFor('en'), analyzerFor('en'));
    assert.equal(analyzerFor('fr'), analyzerFor('en'));
    assert.equal(analyzerFor('ko'), analyzerFor('ko', 'stems+bigrams'));
    assert.notEqual(analyzerFor('ko', 'bigrams'), analyzerFor('ko'));
    assert.equal(analyzerFor('ko', 'bigrams').name, 'ko:bigrams');
    assert.ok(Object.isFrozen(analyzerFor('en')) && Object.isFrozen(analyzerFor('ko')));
  });
});
