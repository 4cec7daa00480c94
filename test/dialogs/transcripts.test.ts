// Conversations as data: each row is what the user says and what the bot's replies must (not) carry.
// A new case is a new row. Phrasings here are our own, not the evaluation questions.
import assert from 'node:assert/strict';
import { flatten, newClient, turn } from '../support/dialog-harness';

interface Expect {
  /** Digit strings that must appear in the replies with every non-digit removed. */
  digits?: string[];
  /** Digit strings that must not appear (another country's number). */
  nodigits?: string[];
  all?: RegExp[];
  none?: RegExp[];
  /** The reply must carry an Adaptive Card. */
  card?: boolean;
}
interface Row {
  name: string;
  locale: string;
  turns: [string, Expect][];
}

const US = '18008659408';
const AU = '1800197503';
const UK = '08000326417';
const CN = '4000890365';
const DE_CLOUD = '08005892330';
const EEA = '4969380789305';
const OTHERS = (...keep: string[]) => [US, AU, UK, CN, DE_CLOUD].filter((n) => !keep.includes(n));

const rows: Row[] = [
  { name: 'US number', locale: 'en-US', turns: [['I need to ring Microsoft support, we are based in the USA', { digits: [US], nodigits: OTHERS(US), card: true, all: [/tel:\+18008659408/] }]] },
  { name: 'UK number from a city', locale: 'en-GB', turns: [['our Manchester team needs the helpline number', { digits: [UK], nodigits: OTHERS(UK) }]] },
  { name: 'Canada shares the US number', locale: 'en-US', turns: [['phone support canada', { digits: [US], nodigits: OTHERS(US) }]] },
  { name: 'country asked for, then given', locale: 'en-US', turns: [
    ['what number should I call for help?', { all: [/which country or region/i], nodigits: [US, AU, UK, CN] }],
    ['australia', { digits: [AU], nodigits: OTHERS(AU) }],
  ] },
  { name: 'country question answered with another question', locale: 'en-US', turns: [
    ['give me the support phone number', { all: [/country/i] }],
    ['actually, why does support want a PIN?', { all: [/(code|PIN)/i], nodigits: [US, AU, UK] }],
  ] },
  { name: 'cancel from the country question', locale: 'en-US', turns: [
    ['support line please', { all: [/country/i] }],
    ['cancel', { all: [/stopped/i] }],
    ['Japan', { none: [/which country/i] }],
  ] },
  { name: 'an EEA country gets its own number, not Office 365 Germany\'s', locale: 'en-US', turns: [['support line for our Dutch office in Amsterdam', { digits: ['08000202546'], nodigits: [EEA, US, UK] }]] },
  { name: 'Germany shows both the worldwide and the Office 365 Germany numbers', locale: 'en-US', turns: [['support phone in Germany', { digits: ['08005892332', DE_CLOUD], all: [/onmicrosoft\.de/] }]] },
  { name: 'unknown country gets an honest answer', locale: 'en-US', turns: [['support phone number for Peru', { nodigits: [US, AU, UK, CN, DE_CLOUD, EEA], all: [/Peru/, /don't have/i] }]] },
  { name: 'billing days', locale: 'en-US', turns: [['which weekdays is the billing team reachable by phone?', { all: [/Mon/, /Fri/] }]] },
  { name: 'technical around the clock', locale: 'en-US', turns: [['is tech support open on sunday night?', { all: [/(24\/7|24 hours|around the clock)/i] }]] },
  { name: 'Australia billing until 6', locale: 'en-AU', turns: [['billing support hours in australia', { all: [/6:00 PM|18:00/] }]] },
  { name: 'PIN', locale: 'en-US', turns: [['support asked me for a verification code, why?', { all: [/(code|PIN)/i, /profile/i] }]] },
  { name: 'severity A eligibility', locale: 'en-US', turns: [['can we raise a sev A ticket with 21Vianet?', { all: [/agreement/i] }]] },
  { name: 'severity C response', locale: 'en-US', turns: [['how fast does 21Vianet respond to severity C?', { all: [/3 business days/i] }]] },
  { name: '21Vianet B/C hours in Beijing time', locale: 'en-US', turns: [['when can I reach 21Vianet about a sev B issue?', { all: [/9:00/, /(Beijing|Asia\/Shanghai|China)/i] }]] },
  { name: '21Vianet number', locale: 'en-US', turns: [['phone number for office 365 operated by 21vianet', { digits: [CN], nodigits: [US, AU, UK] }]] },
  { name: 'Germany cloud alternative number', locale: 'en-US', turns: [['backup phone line for the Germany cloud', { digits: ['069380789305'], nodigits: [US, AU, UK, CN] }]] },
  { name: 'Office 365 Germany from another EEA market', locale: 'en-US', turns: [['we use Office 365 Germany and sit in France, what do we dial?', { digits: [EEA], nodigits: [US, AU, UK, CN] }]] },
  { name: 'own network is out of scope', locale: 'en-US', turns: [['will 21vianet troubleshoot our firewall and LAN?', { all: [/network/i] }]] },
  { name: 'partner', locale: 'en-US', turns: [['we purchased through a CSP partner, who supports us?', { all: [/partner/i] }]] },
  { name: 'non-admin', locale: 'en-US', turns: [["I'm just a regular user without admin rights, can I get help?", { all: [/admin/i] }]] },
  { name: 'service health', locale: 'en-US', turns: [['is there an outage right now?', { all: [/service health/i] }]] },
  { name: 'wait time', locale: 'en-US', turns: [['if I request a callback how long until someone contacts me?', { all: [/wait/i] }]] },
  { name: 'community', locale: 'en-US', turns: [['where can I ask other admins for advice?', { all: [/(community|forum)/i] }]] },
  { name: 'greeting and thanks', locale: 'en-US', turns: [['hello there', { all: [/help/i] }], ['thanks a lot', { all: [/welcome/i] }]] },
  { name: 'gibberish: says nothing fits and offers topics', locale: 'en-US', turns: [['qwzx plorf', { all: [/couldn't find/i, /phone/i] }]] },

  { name: 'help search, then yes', locale: 'en-US', turns: [
    ['how do I create a shared mailbox?', { all: [/shared mailbox/i, /Did this help\?/, /Read more/], card: true }],
    ['yes', { all: [/Glad that helped/] }],
  ] },
  { name: 'help search, then no leads to next steps', locale: 'en-US', turns: [
    ['invite a guest user from another company', { all: [/guest/i] }],
    ['no', { all: [/service health/i, /contact support/i, /admin center/i] }],
  ] },
  { name: 'a new question after search results is answered, not taken as feedback', locale: 'en-US', turns: [
    ['set up mail forwarding for a user', { all: [/forward/i] }],
    ['what is the support number in the UK?', { digits: [UK], nodigits: OTHERS(UK) }],
  ] },
  { name: 'help search with a typo', locale: 'en-US', turns: [['how to creat a shared mailbx', { all: [/shared mailbox/i] }]] },
  { name: 'nothing in the articles', locale: 'en-US', turns: [['recommend a pizza place for lunch', { all: [/couldn't find/i], none: [/Did this help/] }]] },
  { name: 'ko: help search, then no', locale: 'ko-KR', turns: [
    ['공유 사서함은 어떻게 만드나요?', { all: [/공유 사서함/, /도움이 되었나요/], card: true }],
    ['아니요', { all: [/서비스 상태/, /지원팀에 문의/] }],
  ] },
  { name: 'ko: help search, then yes', locale: 'ko-KR', turns: [
    ['사용자 로그인을 차단하려면?', { all: [/차단/] }],
    ['네', { all: [/다행/] }],
  ] },
  { name: 'ko: nothing in the articles', locale: 'ko-KR', turns: [['오늘 점심 메뉴 추천해 줘', { all: [/찾지 못했/], none: [/도움이 되었나요/] }]] },

  { name: 'a 21Vianet admin sees the 21Vianet variant of a section, not the Germany one', locale: 'en-US', turns: [
    ['we are on Office 365 operated by 21Vianet, how do I reset a user password?', { all: [/portal\.partner\.microsoftonline\.cn/], none: [/portal\.office\.de/] }],
  ] },
  { name: 'ko: US number', locale: 'ko-KR', turns: [['미국에서 지원팀에 전화하려면 몇 번이에요?', { digits: [US], nodigits: OTHERS(US), all: [/[\uac00-\ud7a3]/] }]] },
  { name: 'ko: UK number', locale: 'ko-KR', turns: [['영국 고객지원 번호', { digits: [UK], nodigits: OTHERS(UK) }]] },
  { name: 'ko: country asked for', locale: 'ko-KR', turns: [
    ['지원 전화번호 좀 알려주세요', { all: [/국가|지역/] }],
    ['호주', { digits: [AU], nodigits: OTHERS(AU) }],
  ] },
  { name: 'ko: Australia billing hours', locale: 'ko-KR', turns: [['호주 결제 문의 가능한 시간', { all: [/오후\s*6시|18:00|18시/] }]] },
  { name: 'ko: technical 24/7', locale: 'ko-KR', turns: [['기술 지원은 밤에도 되나요?', { all: [/24시간|연중무휴/] }]] },
  { name: 'ko: PIN', locale: 'ko-KR', turns: [['지원팀이 PIN을 물어보는 이유가 뭐예요?', { all: [/코드|PIN/] }]] },
  { name: 'ko: severity B response', locale: 'ko-KR', turns: [['21Vianet 심각도 B는 언제 응답해요?', { all: [/영업일 1일/] }]] },
  { name: 'ko: severity A eligibility', locale: 'ko-KR', turns: [['심각도 A는 아무나 요청할 수 있나요?', { all: [/계약/] }]] },
  { name: 'ko: Germany languages', locale: 'ko-KR', turns: [['Office 365 Germany 청구 지원 언어', { all: [/독일어/, /영어/] }]] },
  { name: 'ko: partner', locale: 'ko-KR', turns: [['파트너사를 통해 라이선스를 샀어요. 누구한테 문의하나요?', { all: [/파트너/] }]] },
  { name: 'ko: not admin', locale: 'ko-KR', turns: [['저는 관리자가 아닌데 지원받을 수 있나요?', { all: [/관리자/] }]] },
  { name: 'ko: service health', locale: 'ko-KR', turns: [['지금 서비스 장애가 있는지 어떻게 확인하나요?', { all: [/서비스 상태/] }]] },
  { name: 'ko: cancel', locale: 'ko-KR', turns: [['전화번호 알려줘', { all: [/국가/] }], ['취소', { all: [/멈췄/] }]] },
];

describe('dialog transcripts', () => {
  for (const row of rows) {
    it(`${row.locale} ${row.name}`, async () => {
      const client = newClient(row.locale);
      for (const [said, expect] of row.turns) {
        const replies = await turn(client, said);
        assert.ok(replies.length > 0, `no reply to "${said}"`);
        const text = replies.map(flatten).join('\n');
        const digits = text.replace(/\D+/g, '');
        const context = `\n  user: ${said}\n  bot: ${text.slice(0, 600)}`;
        for (const d of expect.digits ?? []) assert.ok(digits.includes(d), `missing ${d}${context}`);
        for (const d of expect.nodigits ?? []) assert.ok(!digits.includes(d), `names another number ${d}${context}`);
        for (const re of expect.all ?? []) assert.match(text, re, context);
        for (const re of expect.none ?? []) assert.doesNotMatch(text, re, context);
        if (expect.card) assert.ok(replies.some((r) => r.attachments?.some((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')), `no card${context}`);
        if (row.locale.startsWith('ko')) {
          for (const r of replies) if (r.text) assert.match(r.text, /[\uac00-\ud7a3]/, `a reply without Korean${context}`);
        }
      }
    });
  }
});
