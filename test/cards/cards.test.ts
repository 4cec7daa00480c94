// Every card template, filled with ordinary and hostile data, must parse in the Adaptive Cards
// library with no warnings, keep hostile strings verbatim, and stay within Teams' limits.
import assert from 'node:assert/strict';
import * as AC from 'adaptivecards';
import type { Attachment } from 'botbuilder';
import { clarifyCard, contactCard, hoursCard, infoCard, RenderedCard, requestFormCard, searchResultsCard, severityCard, telUrl } from '../../cards';

const HOSTILE = [
  '${$root.secret}',
  "${if(true, 'evaluated', 'no')}",
  '{{handlebars}} ${json($root)}',
  'quote " and \' and back\\slash',
  'line one\nline two\r\nline three',
  '**bold** _it_ [link](javascript:alert(1)) `code` # heading',
  '<script>alert(1)</script><img src=x onerror=alert(1)>',
  '🙂🔥📞 emoji',
  '한국어 텍스트와 조사',
  'x'.repeat(5000),
];

function parseWarnings(card: Attachment): string[] {
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  parsed.parse(card.content, context);
  const warnings: string[] = [];
  for (let i = 0; i < context.eventCount; i++) warnings.push(`parse: ${context.getEventAt(i).message}`);
  for (const e of parsed.validateProperties().validationEvents) warnings.push(`validate: ${e.message}`);
  return warnings;
}

function countActions(content: unknown): number {
  let n = 0;
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (typeof o.type === 'string' && o.type.startsWith('Action.') && !('selectAction' in o)) n += 1;
      for (const [k, v] of Object.entries(o)) if (k !== 'selectAction') walk(v);
    }
  };
  walk((content as { actions?: unknown }).actions ?? []);
  return n;
}

function builders(s: string): [string, RenderedCard][] {
  const line = { heading: s, team: s, viewer: s, status: s, open: false };
  return [
    ['contact', contactCard({
      title: s,
      sections: [1, 2].map(() => ({ market: s, appliesTo: s, numbers: [{ display: '1 800 865 9408', dial: '+18008659408', caption: s, callTitle: s }, { display: '02 8223 9959', dial: '+61282239959', callTitle: s }], lines: [line, { ...line, open: true }], notes: [s, s] })),
      pinTitle: s,
      pinNote: s,
      prepare: s,
      suggestions: [1, 2, 3, 4, 5, 6].map(() => ({ title: s, text: s })),
    })],
    ['hours', hoursCard({ title: s, sections: [{ heading: s, appliesTo: s, lines: [line, { ...line, open: null }] }], notes: [s], suggestions: [{ title: s, text: s }] })],
    ['severity', severityCard({
      title: s,
      severities: [{ name: s, definition: s, examples: [s, s], response: s, workingHours: s, responsibilities: s, highlighted: true }, { name: s, definition: s, examples: [s], response: s, workingHours: s }],
      notes: [s],
      labels: { response: s, workingHours: s, examples: s, responsibilities: s, notes: s },
      suggestions: [{ title: s, text: s }],
    })],
    ['info', infoCard({ title: s, paragraphs: [s, s], steps: [s, s], bullets: [s], facts: [{ title: s, value: s }], links: [{ title: s, url: 'https://example.com/a?b=c' }], footer: s, suggestions: [1, 2, 3, 4, 5, 6, 7].map(() => ({ title: s, text: s })) })],
    ['clarify', clarifyCard({ question: s, choices: [1, 2, 3, 4, 5, 6, 7].map(() => ({ title: s, text: s })) })],
    ['request form', requestFormCard({
      title: s,
      intro: s,
      problem: s,
      submit: s,
      labels: { description: s, category: s, severity: s, phone: s, email: s, method: s },
      errors: { description: s, category: s, severity: s, phone: s, email: s, method: s },
      values: { description: s, category: 'technical', severity: 'B', phone: s, email: s, method: 'email' },
      categories: [{ title: s, value: 'technical' }, { title: s, value: 'billing' }],
      severities: [{ title: s, value: 'A' }, { title: s, value: 'B' }],
      severityHelp: [s, s],
      methods: [{ title: s, value: 'email' }],
    })],
    ['search results', searchResultsCard({
      title: s,
      note: s,
      readMoreLabel: s,
      question: s,
      results: [1, 2, 3].map(() => ({ heading: s, article: s, url: 'https://example.com/help/en/a#b', snippet: [{ text: s, match: false }, { text: ' ', match: false }, { text: s, match: true }] })),
      choices: [1, 2, 3, 4, 5, 6].map((i) => ({ title: s, action: 'searchFeedback' as const, searchId: s, helpful: i % 2 ? 'yes' as const : 'no' as const })),
    })],
  ];
}

describe('cards', () => {
  for (const sample of ['Ordinary text', ...HOSTILE]) {
    const label = sample.length > 40 ? `${sample.slice(0, 20)}… (${sample.length} chars)` : JSON.stringify(sample);
    for (const [name, rendered] of builders(sample)) {
      it(`${name} card with ${label} parses cleanly and keeps the text verbatim`, () => {
        const content = rendered.card.content as Record<string, unknown>;
        assert.equal(rendered.card.contentType, 'application/vnd.microsoft.card.adaptive');
        assert.equal(content.version, '1.5');
        assert.deepEqual(parseWarnings(rendered.card), []);
        assert.ok(JSON.stringify(content).includes(JSON.stringify(sample).slice(1, -1)), 'the data string appears unchanged');
        assert.ok(countActions(content) <= 5, `at most 5 actions, got ${countActions(content)}`);
        assert.ok(rendered.text.includes(sample), 'the plain text carries the same facts');
      });
    }
  }

  it('stays under Teams’ 28 KB card limit for a large contact card', () => {
    const [, rendered] = builders('Billing support · English · Mon–Fri 9:00 AM–5:00 PM (Sydney time)')[0];
    assert.ok(Buffer.byteLength(JSON.stringify(rendered.card.content)) < 28 * 1024);
  });

  it('links numbers as tel: with digits only', () => {
    assert.equal(telUrl('+61 2 8223 9959'), 'tel:+61282239959');
    assert.equal(telUrl('0008004402038'), 'tel:0008004402038');
    assert.throws(() => telUrl('javascript:alert(1)'));
    const [, contact] = builders('x')[0];
    const urls = JSON.stringify(contact.card.content).match(/tel:[^"]+/g) ?? [];
    assert.ok(urls.length >= 2);
    for (const u of urls) assert.match(u, /^tel:\+?\d+$/);
  });

  it('keeps search snippets escaped, emphasises only matched words, and drops non-http links', () => {
    const rendered = searchResultsCard({
      title: 'T',
      readMoreLabel: 'Read more',
      question: 'Did this help?',
      results: [
        { heading: 'H', article: 'A', url: 'javascript:alert(1)', snippet: [{ text: 'reset the ', match: false }, { text: 'password*', match: true }, { text: ' [x](y)', match: false }] },
        { heading: 'H2', article: 'A2', url: 'https://example.com/a (b)', snippet: [{ text: 'plain', match: false }] },
      ],
      choices: [],
    });
    const json = JSON.stringify(rendered.card.content);
    assert.ok(json.includes('**password\\\\***'), json);
    assert.ok(json.includes('\\\\[x\\\\](y)'));
    assert.ok(!json.includes('javascript:'));
    assert.ok(json.includes('https://example.com/a%20%28b%29'));
    assert.deepEqual(parseWarnings(rendered.card), []);
  });

  it('leaves an empty optional list out instead of rendering an empty element', () => {
    const rendered = infoCard({ title: 'T', paragraphs: ['p'] });
    const body = (rendered.card.content as { body: { type: string; text?: string }[] }).body;
    assert.deepEqual(body.map((b) => b.type), ['TextBlock', 'TextBlock']);
    assert.deepEqual(parseWarnings(rendered.card), []);
  });
});
