import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { englishTerms, isBigramTerm, koreanStem, koreanTerms } from '../../knowledge/search/analyzers';
import { answers } from '../../knowledge/search/evaluation';
import { fuzziness, HelpSearch, SearchHit, SearchQuery } from '../../knowledge/search/help-search';
import { ingestSources } from '../../knowledge/search/ingest';
import { fingerprint, loadKnowledge, OWN_ARTICLES_DIR } from '../../knowledge/search/knowledge-base';
import type { HelpSection } from '../../knowledge/search/types';
import { writeFiles } from '../support/article-fixtures';

const BASE_URL = 'http://h/help/';

let root: string;
let counter = 0;

function fixtureDir(files: Record<string, string>): string {
  return writeFiles(path.join(root, `source-${++counter}`), files);
}

function searchOf(files: Record<string, string>): HelpSearch {
  const result = ingestSources([{ dir: fixtureDir(files), baseUrl: BASE_URL }]);
  assert.deepEqual(result.skipped, []);
  return HelpSearch.build(result.articles);
}

const ids = (hits: SearchHit[]) => hits.map((h) => h.section.id);

// The saved form of the index: a binary file (toBuffer/fromBuffer) in the current code, JSON
// (toJSON/fromJSON) in the version this suite was first written against. Both are exercised the same way.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const Search = HelpSearch as any;

function roundTrip(search: HelpSearch): HelpSearch {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const s = search as any;
  if (typeof s.toBuffer === 'function') return Search.fromBuffer(Buffer.from(s.toBuffer()));
  return Search.fromJSON(JSON.parse(JSON.stringify(s.toJSON())));
}

/** The saved form with its format version changed, loaded back. */
function loadWithOtherVersion(search: HelpSearch): HelpSearch {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const s = search as any;
  if (typeof s.toBuffer === 'function') {
    const buffer: Buffer = s.toBuffer();
    const length = buffer.readUInt32LE(0);
    const header = JSON.parse(buffer.toString('utf8', 4, 4 + length));
    header.version += 1;
    const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
    const lead = Buffer.alloc(4);
    lead.writeUInt32LE(headerBytes.length);
    return Search.fromBuffer(Buffer.concat([lead, headerBytes, buffer.subarray(4 + length)]));
  }
  const data = JSON.parse(JSON.stringify(s.toJSON()));
  data.version += 1;
  return Search.fromJSON(data);
}

function sectionCount(search: HelpSearch): number {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const s = search as any;
  return typeof s.sectionCount === 'number' ? s.sectionCount : s.sections.length;
}

describe('help search', () => {
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'search-test-'));
  });

  after(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  const ENGLISH = {
    'en/passwords.md': '# Reset a password\n\nAn admin can reset the password of a user in the admin center.\n',
    'en/domains.md': '# Add a domain\n\nAdd a custom domain and verify its DNS records at your registrar.\n',
    'en/billing.md': '# View invoices\n\nSee your bill, download an invoice and change the payment method.\n',
    'en/mailboxes.md': '# Shared mailboxes\n\nCreate a shared mailbox so a team can read and send mail from one address.\n',
  };

  const KOREAN = {
    'ko/passwords.md': '# 암호 재설정\n\n관리 센터에서 사용자의 암호를 재설정합니다.\n',
    'ko/domains.md': '# 도메인 추가\n\n사용자 지정 도메인을 추가하고 DNS 레코드를 확인합니다.\n',
    'ko/billing.md': '# 청구서 보기\n\n청구서를 내려받고 결제 방법을 변경합니다.\n',
  };

  describe('English analyzer', () => {
    let search: HelpSearch;
    before(() => {
      search = searchOf(ENGLISH);
    });

    it('stems: "resetting passwords" finds the section about reset password', () => {
      const outcome = search.search({ text: 'resetting passwords', language: 'en' });
      assert.equal(outcome.hits[0]?.section.articlePath, 'en/passwords.md', ids(outcome.hits).join(', '));
      assert.deepEqual(englishTerms('resetting passwords'), englishTerms('reset password'));
    });

    it('ignores stop words', () => {
      assert.deepEqual(englishTerms('how do I reset the password for my user'), ['reset', 'password', 'user']);
      const plain = search.search({ text: 'reset password', language: 'en' });
      const wordy = search.search({ text: 'How do I reset the password?', language: 'en' });
      assert.deepEqual(ids(wordy.hits), ids(plain.hits));
      assert.deepEqual(search.search({ text: 'how do I do this for the one', language: 'en' }).hits, []);
    });

    it('tolerates typos: "pasword resett" still finds it', () => {
      const outcome = search.search({ text: 'pasword resett', language: 'en' });
      assert.equal(outcome.hits[0]?.section.articlePath, 'en/passwords.md', ids(outcome.hits).join(', '));
    });

    it('allows no edit for short words, one for 5–7 letters and two from 8', () => {
      assert.equal(fuzziness('dns'), 0);
      assert.equal(fuzziness('mailbx'), 1);
      assert.equal(fuzziness('authentcation'), 2);
      assert.equal(fuzziness('12345'), 0, 'numbers are never fuzzy');
      assert.equal(fuzziness('재설정하는'), 0, 'Hangul is never fuzzy');
    });
  });

  describe('Korean analyzer', () => {
    it('strips particles and verb endings', () => {
      assert.equal(koreanStem('사용자의'), '사용자');
      assert.equal(koreanStem('재설정하는'), '재설정');
      assert.equal(koreanStem('암호를'), '암호');
      assert.equal(koreanStem('취소하면'), '취소');
      assert.equal(koreanStem('할당하세요'), '할당');
    });

    it('gives a compound ("암호재설정") bigram terms shared with its parts ("암호 재설정")', () => {
      const compound = koreanTerms('암호재설정').filter(isBigramTerm);
      const parts = new Set(koreanTerms('암호 재설정').filter(isBigramTerm));
      const shared = compound.filter((t) => parts.has(t));
      assert.ok(shared.length >= 2, `shared bigrams: ${shared.join(' ')}`);
    });

    it('finds the Korean section "암호 재설정" for "암호를 재설정하려면"', () => {
      const search = searchOf(KOREAN);
      const outcome = search.search({ text: '암호를 재설정하려면', language: 'ko' });
      assert.equal(outcome.hits[0]?.section.heading, '암호 재설정', ids(outcome.hits).join(', '));
      assert.equal(outcome.language, 'ko');
      assert.equal(outcome.fellBack, false);
    });

    it('finds "암호 재설정" for the compound "암호재설정"', () => {
      const search = searchOf(KOREAN);
      const outcome = search.search({ text: '암호재설정', language: 'ko' });
      assert.equal(outcome.hits[0]?.section.articlePath, 'ko/passwords.md', ids(outcome.hits).join(', '));
    });
  });

  describe('field boosts', () => {
    it('ranks a section with the word in its heading above one that mentions it once in its body', () => {
      const search = searchOf({
        'en/retention.md': '# Mail guide\n\n## Retention policies\n\nKeep items for a while, then delete them automatically.\n',
        'en/archive.md': '# Storage guide\n\n## Archive mailbox\n\nOld mail moves to the archive; retention is set elsewhere.\n',
      });
      const hits = search.searchLanguage({ text: 'retention', language: 'en' }, 'en');
      assert.deepEqual(ids(hits), ['en/retention.md#retention-policies', 'en/archive.md#archive-mailbox']);
      assert.ok(hits[0].score > hits[1].score);
    });
  });

  describe('clouds', () => {
    let search: HelpSearch;
    const GERMANY = 'en/phone-germany.md#call-germany-phone-support';
    const VIANET = 'en/phone-21vianet.md#call-21vianet-phone-support';
    const SHARED = 'en/phone.md#call-phone-support';
    before(() => {
      search = searchOf({
        'en/phone.md': '# Phone\n\n## Call phone support\n\nCall phone support to open a support request by phone.\n',
        'en/phone-21vianet.md':
          '# Phone in China\n\n::: moniker range="o365-21vianet"\n## Call 21Vianet phone support\n\nCall phone support to open a support request by phone with 21Vianet.\n::: moniker-end\n',
        'en/phone-germany.md':
          '# Phone in Germany\n\n::: moniker range="o365-germany"\n## Call Germany phone support\n\nCall phone support to open a support request by phone in Germany.\n::: moniker-end\n',
      });
      assert.deepEqual(search.section(GERMANY)?.clouds, ['germany']);
      assert.deepEqual(search.section(VIANET)?.clouds, ['21vianet']);
      assert.equal(search.section(SHARED)?.clouds, null);
    });

    const query = (extra: Partial<SearchQuery> = {}): SearchQuery => ({ text: 'call phone support request', language: 'en', limit: 10, ...extra });

    it('never returns Germany-only sections to a 21Vianet admin', () => {
      for (const text of ['call phone support request', 'phone support germany', 'germany']) {
        const q = query({ text, cloud: '21vianet' });
        const ranked = ids(search.searchLanguage(q, 'en'));
        assert.ok(!ranked.includes(GERMANY), `${text}: ${ranked.join(', ')}`);
        assert.ok(!ids(search.search(q).hits).includes(GERMANY));
      }
      const hits = ids(search.search(query({ cloud: '21vianet' })).hits);
      assert.ok(hits.includes(VIANET) && hits.includes(SHARED), hits.join(', '));
    });

    it('lets Germany sections in when the question names Germany', () => {
      const hits = ids(search.search(query({ cloud: '21vianet', mentionedClouds: ['germany'] })).hits);
      assert.ok(hits.includes(GERMANY), hits.join(', '));
    });

    it('may return every cloud’s sections when the cloud is unknown', () => {
      const hits = ids(search.search(query()).hits);
      assert.deepEqual([...hits].sort(), [GERMANY, SHARED, VIANET].sort());
    });
  });

  describe('question language', () => {
    it('answers a Korean question from Korean sections', () => {
      const search = searchOf({ ...ENGLISH, ...KOREAN });
      const outcome = search.search({ text: '암호를 재설정하려면', language: 'ko' });
      assert.equal(outcome.language, 'ko');
      assert.equal(outcome.fellBack, false);
      assert.ok(outcome.hits.length > 0);
      assert.ok(outcome.hits.every((h) => h.section.language === 'ko'));
    });

    it('falls back to English for a Latin product word only English sections have', () => {
      const search = searchOf({
        ...KOREAN,
        ...ENGLISH,
        'en/intune.md': '# Intune enrollment\n\nEnroll devices in Intune so you can manage them.\n',
      });
      assert.deepEqual(koreanTerms('Intune은 어떻게 하나요?').filter((t) => !isBigramTerm(t)), ['intun'], 'only the product word is a term');
      const outcome = search.search({ text: 'Intune은 어떻게 하나요?', language: 'ko' });
      assert.equal(outcome.language, 'en');
      assert.equal(outcome.fellBack, true);
      assert.equal(outcome.hits[0]?.section.articlePath, 'en/intune.md');
    });

    it('does not fall back when a Korean section fits the same question', () => {
      const search = searchOf({
        ...KOREAN,
        'ko/intune.md': '# Intune 등록\n\nIntune에 장치를 등록하여 관리합니다.\n',
        'en/intune.md': '# Intune enrollment\n\nEnroll devices in Intune so you can manage them.\n',
      });
      const outcome = search.search({ text: 'Intune은 어떻게 하나요?', language: 'ko' });
      assert.equal(outcome.language, 'ko');
      assert.equal(outcome.fellBack, false);
      assert.equal(outcome.hits[0]?.section.articlePath, 'ko/intune.md');
    });

    const ONEDRIVE = { 'en/onedrive.md': '# OneDrive storage\n\nIncrease the OneDrive storage space for a user in the admin center.\n' };
    const notEnglish = (search: HelpSearch) => {
      const outcome = search.search({ text: 'OneDrive 저장 공간 늘리는 방법', language: 'ko' });
      assert.equal(outcome.language, 'ko', JSON.stringify(ids(outcome.hits)));
      assert.equal(outcome.fellBack, false);
      assert.ok(outcome.hits.every((h) => h.section.language === 'ko'), ids(outcome.hits).join(', '));
    };

    it('does not let one Latin word carry a Korean question to English', () => {
      notEnglish(searchOf({ ...KOREAN, ...ONEDRIVE }));
    });

    it('does not let one Latin word carry a Korean question to English with a few more English articles', () => {
      notEnglish(searchOf({ ...KOREAN, ...ENGLISH, ...ONEDRIVE }));
    });

    it('does not let one Latin word carry a Korean question to a much larger English index', () => {
      const topics = ['teams', 'meeting', 'calendar', 'printer', 'license', 'mailbox', 'archive', 'retention', 'sharepoint', 'guest', 'security', 'alert', 'audit', 'policy', 'device', 'forwarding', 'alias', 'groups', 'contacts', 'reports'];
      const english: Record<string, string> = {};
      topics.forEach((topic, i) => {
        english[`en/${topic}.md`] = `# Manage ${topic}\n\nHow to manage ${topic} settings in the admin center, part ${i}.\n`;
      });
      notEnglish(searchOf({ ...KOREAN, ...english, ...ONEDRIVE }));
    });
  });

  describe('own articles', () => {
    let search: HelpSearch;
    before(() => {
      search = HelpSearch.build(ingestSources([{ dir: OWN_ARTICLES_DIR, baseUrl: BASE_URL }]).articles);
    });

    it('returns no hits for nonsense or off-topic questions', () => {
      for (const text of ['qwzx plorf', 'what is the best pizza topping']) {
        const outcome = search.search({ text, language: 'en' });
        assert.deepEqual(ids(outcome.hits), [], text);
      }
    });

    it('still answers a real question (sanity check for the test above)', () => {
      const outcome = search.search({ text: 'reset a user password', language: 'en' });
      assert.equal(outcome.hits[0]?.section.articlePath, 'en/reset-user-passwords.md', ids(outcome.hits).join(', '));
    });

    it('reloads from its saved form with identical ids and scores', () => {
      const reloaded = roundTrip(search);
      const queries: SearchQuery[] = [
        { text: 'reset a user password', language: 'en', limit: 10 },
        { text: 'add a custom domain dns records', language: 'en', limit: 10 },
        { text: 'call support by phone in germany', language: 'en', cloud: 'germany', limit: 10 },
        { text: '암호를 재설정하려면', language: 'ko', limit: 10 },
        { text: '공유 사서함 만들기', language: 'ko', limit: 10 },
        { text: 'qwzx plorf', language: 'en' },
      ];
      for (const q of queries) {
        const before = search.search(q);
        const after = reloaded.search(q);
        assert.deepEqual(after.hits.map((h) => [h.section.id, h.score]), before.hits.map((h) => [h.section.id, h.score]), q.text);
        assert.equal(after.language, before.language);
        assert.equal(after.fellBack, before.fellBack);
      }
      assert.ok(search.search(queries[0]).hits.length > 0);
    });

    it('refuses a serialized index of another format version', () => {
      assert.throws(() => loadWithOtherVersion(search), /format/);
    });
  });

  describe('knowledge base', () => {
    it('changes the fingerprint when a file’s content changes and when baseUrl changes', () => {
      const dir = fixtureDir({ 'en/a.md': '# A\n\nFirst text.\n' });
      const first = fingerprint([{ dir, baseUrl: BASE_URL }]);
      assert.equal(fingerprint([{ dir, baseUrl: BASE_URL }]), first, 'stable while nothing changes');
      assert.notEqual(fingerprint([{ dir, baseUrl: 'http://other/help/' }]), first);
      fs.writeFileSync(path.join(dir, 'en/a.md'), '# A\n\nSecond text.\n');
      assert.notEqual(fingerprint([{ dir, baseUrl: BASE_URL }]), first);
    });

    it('builds and saves the index on the first load and reads it from disk on the second', () => {
      const dir = fixtureDir({ ...ENGLISH, ...KOREAN });
      const dataDir = path.join(root, `data-${++counter}`);
      const sources = [{ dir, baseUrl: BASE_URL }];
      const first = loadKnowledge(sources, dataDir);
      assert.equal(first.built, true);
      assert.ok(first.file.startsWith(path.join(dataDir, 'search') + path.sep), first.file);
      assert.ok(fs.existsSync(first.file));
      const second = loadKnowledge(sources, dataDir);
      assert.equal(second.built, false);
      assert.equal(second.file, first.file);
      assert.equal(sectionCount(second.search), sectionCount(first.search));
      assert.ok(sectionCount(first.search) >= 7);
      const q = { text: 'reset password', language: 'en' };
      assert.deepEqual(ids(second.search.search(q).hits), ids(first.search.search(q).hits));
      assert.ok(first.search.search(q).hits.length > 0);
    });
  });

  describe('search evaluation: answers()', () => {
    const hit = (articlePath: string, anchor: string, aliases: string[] = []): SearchHit => ({
      section: { articlePath, anchor, aliases, id: `${articlePath}#${anchor}` } as HelpSection,
      score: 1,
      matchedTerms: [],
      coverage: 1,
    });

    it('matches a path-only expectation on any section of that article', () => {
      assert.equal(answers(hit('en/a.md', 'intro'), 'en/a.md'), true);
      assert.equal(answers(hit('en/a.md', 'details'), 'en/a.md'), true);
      assert.equal(answers(hit('en/b.md', 'intro'), 'en/a.md'), false);
      assert.equal(answers(hit('ko/a.md', 'intro'), 'en/a.md'), false);
    });

    it('matches path#anchor only on that section or one with that alias', () => {
      assert.equal(answers(hit('en/a.md', 'details'), 'en/a.md#details'), true);
      assert.equal(answers(hit('en/a.md', 'intro'), 'en/a.md#details'), false);
      assert.equal(answers(hit('en/a.md', 'intro', ['bkmk_details']), 'en/a.md#bkmk_details'), true);
      assert.equal(answers(hit('en/b.md', 'details'), 'en/a.md#details'), false);
    });
  });
});
