// Card templates are parsed once per template object: later renders must give what a freshly parsed
// template gives, keep user text as data (never evaluated), and not leak one card into the next.
import assert from 'node:assert/strict';
import * as ACData from 'adaptivecards-templating';
import { contactCard, expand, infoCard, searchResultsCard } from '../../cards';

const TEMPLATE = {
  type: 'AdaptiveCard',
  version: '1.5',
  body: [
    { type: 'TextBlock', text: '${title}', wrap: true },
    { type: 'TextBlock', $data: '${items}', text: '${$index}: ${name}', wrap: true },
    { type: 'TextBlock', $when: '${note != \'\'}', text: 'Note: ${note}' },
  ],
  actions: [{ type: 'Action.Submit', $data: '${choices}', title: '${title}', data: { text: '${text}' } }],
};

const HOSTILE = ['${$root.secret}', "${if(true, 'evaluated', 'no')}", '${json($root)}', '{{x}}', ''];

function data(s: string, n: number) {
  return {
    title: s,
    secret: 'SECRET',
    note: n % 2 ? s : '',
    items: Array.from({ length: n }, (_, i) => ({ name: `${s}-${i}` })),
    choices: Array.from({ length: n }, (_, i) => ({ title: `${s}#${i}`, text: s })),
  };
}

describe('card template cache', () => {
  it('expands like a freshly parsed template, data after data', () => {
    for (const s of HOSTILE) {
      for (const n of [0, 1, 3]) {
        const fresh = new ACData.Template(JSON.parse(JSON.stringify(TEMPLATE))).expand({ $root: data(s, n) });
        assert.deepEqual(expand(TEMPLATE, data(s, n)), fresh, `"${s}" x${n}`);
      }
    }
  });

  it('parses a template once', () => {
    const Template = ACData.Template as unknown as { prepare: (node: unknown) => unknown };
    const prepare = Template.prepare;
    let calls = 0;
    Template.prepare = (node: unknown) => {
      calls += 1;
      return prepare(node);
    };
    try {
      const template = JSON.parse(JSON.stringify(TEMPLATE));
      expand(template, data('a', 2));
      const first = calls;
      assert.ok(first > 0);
      expand(template, data('b', 3));
      assert.equal(calls, first, 'the test template was parsed again');
      infoCard({ title: 'x', paragraphs: ['y'] });
      const afterInfo = calls;
      infoCard({ title: 'z', paragraphs: ['w'] });
      assert.equal(calls, afterInfo, 'the info template was parsed again');
      expand(template, data('c', 1));
      assert.equal(calls, afterInfo, 'the test template was parsed again');
    } finally {
      Template.prepare = prepare;
    }
  });

  it('keeps user text verbatim on every render', () => {
    for (let round = 0; round < 3; round++) {
      for (const s of HOSTILE) {
        const card = infoCard({ title: s, paragraphs: [s] }).card.content as { body: { text?: string }[] };
        assert.deepEqual([card.body[0].text, card.body[1].text], [s, s], `round ${round}: "${s}"`);
        const expanded = expand(TEMPLATE, data(s, 1)) as { body: { text?: string }[] };
        assert.deepEqual(expanded.body.map((b) => b.text), [s, `0: ${s}-0`, ...(s ? [`Note: ${s}`] : [])], `round ${round}: "${s}"`);
      }
    }
  });

  it('does not let a changed card change the next one', () => {
    const view = { title: 'Results', results: [{ heading: 'H', article: 'A', url: 'https://example.com/a', snippet: [{ text: 'snip', match: true }] }], readMoreLabel: 'More', question: 'Q?', choices: [] };
    const first = searchResultsCard(view).card.content as Record<string, unknown>;
    const before = JSON.stringify(searchResultsCard(view).card.content);
    // What a caller may do to its card: Teams and status refresh edit the content in place.
    (first.body as unknown[]).length = 0;
    (first.actions as unknown[] | undefined)?.push({ type: 'Action.Execute' });
    first.version = 'changed';
    assert.equal(JSON.stringify(searchResultsCard(view).card.content), before);
    const contact = () => contactCard({ title: 'T', sections: [{ market: 'AU', appliesTo: 'all', numbers: [{ display: '1 800', dial: '+611800000000', callTitle: 'Call' }], lines: [{ heading: 'L', team: '9-5', open: true }], notes: ['n'] }] });
    const a = contact().card.content as { body: { items?: unknown[] }[] };
    const expected = JSON.stringify(contact().card.content);
    for (const block of a.body) if (Array.isArray(block.items)) block.items.length = 0;
    assert.equal(JSON.stringify(contact().card.content), expected);
  });
});
