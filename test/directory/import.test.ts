import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parseCountryPage, parseHours, parseNumber } from '../../knowledge/directory/import';
import { importPages } from '../../knowledge/directory/import-cli';
import { requireShared } from '../support/shared';

const page = (body: string, title = 'Contact support for Israel') =>
  `---\ntitle: Support information\nms.topic: reference\n---\n\n# ${title}\n\n[Find another country or region](../x.md).\n\n${body}\n`;

describe('country page importer', () => {
  it('reads every real page with no unread line, and agrees with the shipped import', function () {
    const dir = requireShared(this, 'corpus', 'en', 'microsoft-365', 'admin', 'support');
    const ko = requireShared(this, 'corpus', 'ko', 'microsoft-365', 'admin', 'support');
    const files = [dir, ko].flatMap((d) => fs.readdirSync(d).filter((f) => f.endsWith('.md')).map((f) => path.join(d, f)));
    const { contacts, results } = importPages(files);
    assert.equal(results.length, 33);
    assert.deepEqual(results.flatMap((r) => r.unread), []);
    assert.equal(new Set(contacts.flatMap((c) => c.countries)).size, 32);
    const shipped = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../knowledge/directory/data/countries.json'), 'utf8'));
    assert.deepEqual(JSON.parse(JSON.stringify(contacts)), shipped, 'knowledge/directory/data/countries.json is out of date: run npm run directory:import');
  });

  it('reads Sun–Thu weeks, named and local zones, and 24/7', () => {
    assert.deepEqual(parseHours('Sun-Thu 9 AM-6 PM', 'IL'), { kind: 'weekly', timeZone: 'Asia/Jerusalem', windows: [{ days: [7, 1, 2, 3, 4], open: '09:00', close: '18:00' }] });
    assert.deepEqual(parseHours('Mon-Fri 9 AM-5 PM ET', 'CA'), { kind: 'weekly', timeZone: 'America/Toronto', windows: [{ days: [1, 2, 3, 4, 5], open: '09:00', close: '17:00' }] });
    const local = parseHours('Mon-Fri 9 AM-5 PM Local', 'CA');
    assert.equal(local?.kind === 'weekly' && local.callerLocal, true);
    assert.deepEqual(parseHours('24 hours a day, 7 days a week', 'GB'), { kind: 'always' });
    assert.deepEqual(parseHours('연중무휴 24시간', 'KR'), { kind: 'always' });
    assert.deepEqual(parseHours('오전 9 시 Mon-Fri 오후 6 시', 'KR'), { kind: 'weekly', timeZone: 'Asia/Seoul', windows: [{ days: [1, 2, 3, 4, 5], open: '09:00', close: '18:00' }] });
    assert.deepEqual(parseHours('Mon-Fri 9:00-17:30', 'JP'), { kind: 'weekly', timeZone: 'Asia/Tokyo', windows: [{ days: [1, 2, 3, 4, 5], open: '09:00', close: '17:30' }] });
    assert.equal(parseHours('Mon-Fri 9 AM-5 PM XYZT', 'GB'), undefined, 'an unknown zone word is not guessed');
    assert.equal(parseHours('whenever', 'GB'), undefined);
  });

  it('reads carrier and plan labels and toll-free notes on numbers', () => {
    const pldt = parseNumber('1800 1441 0625 (PLDT)', 'PH', 'main');
    assert.equal(pldt?.label?.en, 'PLDT');
    assert.equal(pldt?.dial.replace(/\D/g, '').endsWith('180014410625'), true);
    const plan = parseNumber('0120 628 860 (Other Plans) (Example : Microsoft 365 Business Basic, Standard, Premium etc)', 'JP', 'main');
    assert.match(plan?.label?.en ?? '', /Other plans/);
    assert.match(plan?.label?.ko ?? '', /기타 요금제/);
    const tollFree = parseNumber('1800 200 2052 (Local toll-free)', 'IN', 'alternative');
    assert.equal(tollFree?.notes?.[0].en, 'Toll-free from within the country.');
    assert.equal(parseNumber('call us maybe', 'GB', 'main'), undefined);
  });

  it('reports every line it cannot read with its line number, and keeps the rest', () => {
    const result = parseCountryPage(
      page(['## Phone number', '1 809 344 179', '', '## Hours', '### Billing Support:', '', 'Hebrew: Sun-Thu 9 AM-6 PM', 'Klingon: Mon-Fri 9 AM-5 PM', 'Support is sometimes open', '', 'Alternative Phone Number: 03 123 4567', 'Local call charges apply', '(Closed on weekends and public holidays)'].join('\n')),
      'israel.md',
    );
    assert.deepEqual(result.unread.map((u) => u.text), ['Klingon: Mon-Fri 9 AM-5 PM', 'Support is sometimes open']);
    assert.ok(result.unread.every((u) => u.line > 0 && u.file === 'israel.md'));
    const [contact] = result.contacts;
    assert.equal(contact.countries[0], 'IL');
    assert.deepEqual(contact.numbers.map((n) => n.kind), ['main', 'alternative']);
    assert.equal(contact.numbers[1].notes?.[0].en, 'Local call charges apply.');
    assert.deepEqual(contact.notes.map((n) => n.en), ['Closed on weekends and public holidays.']);
    assert.deepEqual(contact.lines.map((l) => l.languages), [['he']]);
  });

  it('reads a 21Vianet section as its own entry', () => {
    const result = parseCountryPage(
      page(['## Phone number', '800 988 0365', '## Hours', '### Technical Support:', 'English: 24 hours a day, 7 days a week', '## Contact support for Office 365 operated by 21Vianet only', '## Phone number', '+86 4000 890 365', '## Hours', '### Technical Support:', 'Chinese and English phone support: Mon-Fri 9 AM-9 PM', 'Chinese and English online support (through the admin center): 24 hours a day, 7 days a week'].join('\n'), 'Contact support for China'),
      'china-prc.md',
    );
    assert.deepEqual(result.unread, []);
    assert.deepEqual(result.contacts.map((c) => c.cloud), ['worldwide', '21vianet']);
    assert.deepEqual(result.contacts[1].lines.map((l) => l.channel), ['phone', 'online']);
  });

  it('reports a page whose country it cannot tell', () => {
    const result = parseCountryPage(page('## Phone number\n1 800 000 0000', 'Contact support for Atlantis'), 'atlantis.md');
    assert.deepEqual(result.contacts, []);
    assert.match(result.unread[0].text, /no country recognised/);
  });
});
