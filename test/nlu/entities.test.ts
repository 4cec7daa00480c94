import assert from 'node:assert/strict';
import { extractEntities } from '../../knowledge/nlu/entities';

const cases: [string, Record<string, string>][] = [
  ['call support from london', { country: 'GB' }],
  ['Sydney office needs the support line', { country: 'AU' }],
  ['support phone number for Spain', { country: 'ES' }],
  ['which number do I dial in the Philippines?', { country: 'PH' }],
  ['we are in the USA', { country: 'US' }],
  ['our team in JP', { country: 'JP' }],
  ['미국에서는 몇 번이에요', { country: 'US' }],
  ['오스트레일리아 청구 지원 시간', { country: 'AU', supportType: 'billing' }],
  ['호주 사무실', { country: 'AU' }],
  ['인도네시아는 어느 번호', { country: 'ID' }],
  ['인도에서 전화', { country: 'IN' }],
  ['서울 지사', { country: 'KR' }],
  ['오스트리아에서 Office 365 Germany 지원에 전화하려면?', { country: 'AT', cloud: 'germany' }],
  ['alternative number for Office 365 Germany support', { cloud: 'germany' }],
  ['독일 Office 365 기술 지원은 어떤 언어로 하나요?', { cloud: 'germany', supportType: 'technical' }],
  ['support in Germany', { country: 'DE' }],
  ['21Vianet 심각도 C 응답 시간', { cloud: '21vianet', severity: 'C' }],
  ['who can open sev-A with 21v', { cloud: '21vianet', severity: 'A' }],
  ['our tenant is contoso.onmicrosoft.de', { cloud: 'germany' }],
  ['what days can I call about my invoice?', { supportType: 'billing' }],
  ['pre-sales questions', { supportType: 'presales' }],
];

// Words that look like country codes or names but are not.
const nothing = ['is it open in the morning', 'IT is down', 'I am in a meeting', 'be quick', 'no idea', '가나요?', '이란 무엇인가요', '수단과 방법', 'ALL CAPS IN US TEXT IS NOT A CODE'];

describe('entities', () => {
  for (const [text, expected] of cases) {
    it(`finds ${JSON.stringify(expected)} in "${text}"`, () => {
      const found = extractEntities(text) as Record<string, string>;
      for (const [key, value] of Object.entries(expected)) assert.equal(found[key], value, `${key} in ${JSON.stringify(found)}`);
      if (!expected.country) assert.equal(found.country, undefined, `no country expected, got ${found.country}`);
    });
  }
  for (const text of nothing) {
    it(`finds no country in "${text}"`, () => assert.equal(extractEntities(text).country, undefined));
  }
  it('keeps the words that named the country as the user wrote them', () => {
    assert.equal(extractEntities('Support in MANCHESTER please').countryText, 'MANCHESTER');
    assert.equal(extractEntities('오스트리아에서 Office 365 Germany').countryText, '오스트리아');
  });
});
