// npm run directory:import -- --dir PATH [--dir PATH2] [--out FILE]
// Imports per-country support pages, prints a summary per country and every line it could not read.
import fs from 'node:fs';
import path from 'node:path';
import { parseCountryPage, PageResult } from './import';
import type { ContactPoint } from './types';
import { formatHours } from './hours';

function argsOf(argv: string[]): { dirs: string[]; out: string } {
  const dirs: string[] = [];
  let out = path.resolve(__dirname, 'data', 'countries.json');
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--dir' && argv[i + 1]) dirs.push(argv[++i]);
    else if (argv[i] === '--out' && argv[i + 1]) out = path.resolve(argv[++i]);
    else throw new Error(`unknown argument "${argv[i]}" (use --dir PATH [--dir PATH] [--out FILE])`);
  }
  if (!dirs.length) throw new Error('give at least one --dir PATH holding per-country support pages');
  return { dirs, out };
}

export function importPages(files: string[]): { contacts: ContactPoint[]; results: PageResult[] } {
  const results = files.map((file) => parseCountryPage(fs.readFileSync(file, 'utf8'), file));
  const contacts: ContactPoint[] = [];
  for (const result of results) {
    for (const contact of result.contacts) {
      const twin = contacts.find((c) => c.id === contact.id);
      const sameNumbers = (a: ContactPoint, b: ContactPoint) => a.numbers.map((x) => x.e164).sort().join() === b.numbers.map((x) => x.e164).sort().join();
      // The same country in two languages (en and ko pages): keep the first unless the numbers differ.
      if (twin && sameNumbers(twin, contact)) continue;
      if (twin) contact.id = `${contact.id}-${path.basename(path.dirname(path.dirname(result.file)))}`;
      contacts.push(contact);
    }
  }
  return { contacts, results };
}

function main(): void {
  const { dirs, out } = argsOf(process.argv.slice(2));
  const files = dirs.flatMap((dir) =>
    fs.readdirSync(dir).filter((f) => f.endsWith('.md')).sort().map((f) => path.join(dir, f)),
  );
  const { contacts, results } = importPages(files);
  let unreadCount = 0;
  for (const result of results) {
    for (const c of result.contacts) {
      const numbers = c.numbers.map((n) => `${n.display}${n.kind === 'alternative' ? ' (alt)' : ''}${n.label ? ` [${n.label.en}]` : ''}`).join(', ');
      const lines = c.lines.map((l) => `${l.supportType}/${l.languages.join('+')}: ${formatHours(l.hours, 'en').team}`).join('; ');
      console.log(`${c.countries.join(',')} ${c.cloud.padEnd(9)} ${path.basename(result.file)}: ${numbers} | ${lines}`);
    }
    for (const u of result.unread) {
      unreadCount += 1;
      console.log(`  could not read ${u.file}:${u.line}: ${u.text}`);
    }
  }
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(contacts, null, 1) + '\n');
  console.log(`${files.length} pages, ${contacts.length} contact entries, ${unreadCount} unread lines -> ${path.relative(process.cwd(), out)}`);
}

if (require.main === module) {
  try {
    main();
  } catch (err) {
    console.error(`directory:import: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
