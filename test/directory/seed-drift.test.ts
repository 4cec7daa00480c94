// Every phone number and every hour the source article states must be in the directory, so a change
// to either shows up. The facts are pulled from the seed text by pattern, not from a hand-made list.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { loadDirectory, Hours } from '../../knowledge/directory';
import { requireShared } from '../support/shared';

function seedBody(file: string): string {
  const raw = fs.readFileSync(file, 'utf8').replace(/&nbsp;/g, ' ');
  // Front matter, link targets and URLs hold ids and hashes, not facts.
  return raw
    .replace(/^---[\s\S]*?\n---\n/, '')
    .replace(/\]\([^)]*\)/g, ']')
    .replace(/href="[^"]*"/g, '')
    .replace(/https?:\/\/\S+/g, '');
}

export function phoneNumbersIn(text: string): string[] {
  const found = text.match(/\+?\(?\d[\d ()-]{7,}\d/g) ?? [];
  return [...new Set(found.map((n) => n.replace(/\D/g, '')).filter((d) => d.length >= 9))];
}

interface Window {
  open: string;
  close: string;
  zone?: string;
}

export function hoursIn(text: string): { windows: Window[]; aroundTheClock: number } {
  const windows: Window[] = [];
  const pad = (h: number, m = 0) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
  for (const m of text.matchAll(/오전\s*(\d{1,2})시부터\s*오후\s*(\d{1,2})시까지/g)) windows.push({ open: pad(Number(m[1])), close: pad(Number(m[2]) + 12) });
  for (const m of text.matchAll(/(\d{1,2}):(\d{2})\s*~\s*(\d{1,2}):(\d{2})\s*\(베이징/g)) windows.push({ open: pad(Number(m[1]), Number(m[2])), close: pad(Number(m[3]), Number(m[4])), zone: 'Asia/Shanghai' });
  for (const m of text.matchAll(/월-금\s*(\d{1,2})-(\d{1,2})\s*베를린/g)) windows.push({ open: pad(Number(m[1])), close: pad(Number(m[2]) + 12), zone: 'Europe/Berlin' });
  const aroundTheClock = (text.match(/24시간 연중 ?무휴|연중무휴 24시간|24\\?\*7/g) ?? []).length;
  return { windows, aroundTheClock };
}

describe('support directory against the seed article', () => {
  const directory = loadDirectory();
  const allHours: Hours[] = [
    ...directory.data.contacts.flatMap((c) => c.lines.map((l) => l.hours)),
    ...directory.severities().map((s) => s.workingHours),
  ];

  it('holds every phone number the seed states', function () {
    const numbers = phoneNumbersIn(seedBody(requireShared(this, 'seeds', '000_bf608a892273f08e.txt')));
    assert.ok(numbers.length >= 7, `found ${numbers.length} numbers in the seed`);
    const known = new Set(directory.data.contacts.flatMap((c) => c.numbers.flatMap((n) => [n.display.replace(/\D/g, ''), n.dial.replace(/\D/g, ''), (n.e164 ?? '').replace(/\D/g, '')])));
    for (const n of numbers) assert.ok(known.has(n), `seed number ${n} is not in the directory`);
  });

  it('holds every opening window and the 24/7 lines the seed states', function () {
    const { windows, aroundTheClock } = hoursIn(seedBody(requireShared(this, 'seeds', '000_bf608a892273f08e.txt')));
    assert.ok(windows.length >= 4, `found ${windows.length} windows`);
    assert.ok(aroundTheClock >= 2);
    for (const w of windows) {
      const present = allHours.some(
        (h) => h.kind === 'weekly' && (!w.zone || h.timeZone === w.zone) && h.windows.some((x) => x.open === w.open && x.close === w.close),
      );
      assert.ok(present, `seed hours ${w.open}-${w.close}${w.zone ? ` ${w.zone}` : ''} are not in the directory`);
    }
    assert.ok(allHours.some((h) => h.kind === 'always'));
  });

  it('finds nothing in text without facts (the patterns are not vacuous)', () => {
    assert.deepEqual(phoneNumbersIn('call us at linkid 842900 on 24시간'), []);
    assert.deepEqual(hoursIn('no hours here').windows, []);
  });
});
