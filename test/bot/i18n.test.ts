import assert from 'node:assert/strict';
import { has, keys, localeOf, t } from '../../knowledge/i18n';

describe('locale files', () => {
  it('have the same keys in English and Korean', () => {
    assert.deepEqual([...keys('ko')].sort(), [...keys('en')].sort());
  });

  it('use the same placeholders in both languages', () => {
    for (const key of keys('en')) {
      const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      assert.deepEqual(names(t('ko', key)), names(t('en', key)), key);
    }
  });

  it('has Korean text in every Korean string that is not a proper name', () => {
    for (const key of keys('ko')) {
      assert.match(t('ko', key), /[\uac00-\ud7a3]/, `${key} has no Hangul`);
    }
  });

  it('fills placeholders as plain text, once', () => {
    assert.equal(t('en', 'contact.call', { number: '${1+1} {number}' }), 'Call ${1+1} {number}');
    assert.equal(has('en', 'no.such.key'), false);
    assert.throws(() => t('en', 'no.such.key'), /missing string/);
  });

  it('takes the locale from the activity', () => {
    assert.equal(localeOf({ locale: 'ko-KR' }), 'ko');
    assert.equal(localeOf({ locale: 'KO' }), 'ko');
    assert.equal(localeOf({ locale: 'en-GB' }), 'en');
    assert.equal(localeOf({ locale: 'fr-FR' }, 'ko'), 'en', 'an unsupported locale falls back to English');
    assert.equal(localeOf({}, 'ko'), 'ko', 'a missing locale uses the configured default');
  });
});
