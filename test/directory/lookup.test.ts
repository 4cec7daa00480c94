import assert from 'node:assert/strict';
import { DirectoryError, loadDirectory } from '../../knowledge/directory';
import countries from '../../knowledge/directory/data/countries.json';

describe('support directory lookups', () => {
  const directory = loadDirectory();

  it('answers every imported country with its own entries only', () => {
    for (const iso of new Set(countries.flatMap((c) => c.countries))) {
      const found = directory.contactsFor(iso);
      assert.ok(found.length > 0, iso);
      for (const c of found) assert.ok(c.countries.includes(iso), `${iso} got ${c.id}`);
    }
  });

  it('has nothing, rather than a neighbour, for a country it does not know', () => {
    assert.deepEqual(directory.contactsFor('PE'), []);
    assert.equal(directory.hasCountry('PE'), false);
  });

  it('keeps the worldwide Germany number and the Office 365 Germany cloud apart, each saying when it applies', () => {
    const de = directory.contactsFor('DE');
    assert.deepEqual(de.map((c) => c.cloud), ['worldwide', 'germany']);
    assert.notEqual(de[0].numbers[0].dial, de[1].numbers[0].dial);
    assert.notEqual(de[0].appliesTo.en, de[1].appliesTo.en);
    assert.deepEqual(directory.contactsFor('AT', 'germany').map((c) => c.numbers[0].dial), ['+4969380789305']);
  });

  it('keeps worldwide China and both 21Vianet descriptions', () => {
    const cn = directory.contactsFor('CN');
    assert.deepEqual(cn.map((c) => c.cloud), ['worldwide', '21vianet', '21vianet']);
    assert.deepEqual(cn.filter((c) => c.cloud === '21vianet').map((c) => c.source), ['seed', 'country-page']);
  });

  it('tells the cloud from a domain', () => {
    assert.equal(directory.cloudFromDomain('contoso.onmicrosoft.de'), 'germany');
    assert.equal(directory.cloudFromDomain('contoso.partner.onmschina.cn'), '21vianet');
    assert.equal(directory.cloudFromDomain('contoso.onmicrosoft.com'), 'worldwide');
    assert.equal(directory.cloudFromDomain('CONTOSO.COM.'), 'worldwide');
  });

  it('states the 21Vianet severity rules', () => {
    assert.deepEqual(directory.severities().map((s) => [s.id, s.initialResponse.amount, s.initialResponse.unit]), [['A', 1, 'hour'], ['B', 1, 'businessDay'], ['C', 3, 'businessDay']]);
    assert.equal(directory.severityPolicy.billingMaxSeverity, 'B');
    assert.deepEqual(directory.severityPolicy.severityASupportTypes, ['technical']);
  });

  it('refuses invalid data, naming the entry and field', () => {
    const bad = JSON.parse(JSON.stringify(countries));
    bad[0].lines[0].hours = { kind: 'weekly', timeZone: 'Mars/Olympus', windows: [{ days: [1], open: '09:00', close: '17:00' }] };
    assert.throws(() => loadDirectory(bad), (e: unknown) => e instanceof DirectoryError && /page-au/.test(e.message) && /time zone/.test(e.message));
    const noKorean = JSON.parse(JSON.stringify(countries));
    noKorean[1].market.ko = '';
    assert.throws(() => loadDirectory(noKorean), DirectoryError);
  });
});
