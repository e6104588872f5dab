/** Every UI string exists in all six languages, is translated, and keeps its placeholders. */
import { describe, expect, it } from 'vitest';
import { LANGS, MESSAGES, negotiate, t } from '../../src/web/i18n.ts';

/** Strings that are the same in some languages because they are names or codes. */
const SAME_AS_ENGLISH: Record<string, readonly string[]> = {
  'site.name': ['zh', 'fr', 'ru', 'es'], // the project's name
  'explorer.title': ['ar', 'zh', 'fr', 'ru', 'es'], // only a placeholder
  'explorer.table.caption': ['fr', 'es', 'ru'], // only placeholders and a dash
  'summary.line': ['fr', 'es', 'ru', 'ar'], // only placeholders and punctuation
  yearof: ['fr', 'es', 'ru', 'ar'], // "(2019)"
  source: ['fr'], // "Source" is French too
  sources: ['fr'],
  'explorer.licence': ['fr'], // "Licence" is French too
  'area.R': ['fr', 'es'], // "Rural" is French and Spanish too
  'col.indicator': [], // listed to document that it must differ
  'nav.index': [],
  method: [],
};

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('locale files', () => {
  const en = MESSAGES.en;
  const keys = Object.keys(en).sort();

  it('have exactly the same keys in all six languages', () => {
    expect(LANGS).toEqual(['ar', 'zh', 'en', 'fr', 'ru', 'es']);
    for (const lang of LANGS) expect(Object.keys(MESSAGES[lang]).sort(), lang).toEqual(keys);
  });

  it('leave no English in the other languages (except names and codes listed here)', () => {
    const untranslated: string[] = [];
    for (const lang of LANGS) {
      if (lang === 'en') continue;
      for (const k of keys) {
        const v = MESSAGES[lang][k as keyof typeof en];
        expect(v.trim(), `${lang} ${k}`).not.toBe('');
        if (v === en[k as keyof typeof en] && !(SAME_AS_ENGLISH[k] ?? []).includes(lang))
          untranslated.push(`${lang}:${k}`);
      }
    }
    expect(untranslated).toEqual([]);
  });

  it('keep the placeholders of every string', () => {
    for (const lang of LANGS)
      for (const k of keys)
        expect(placeholders(MESSAGES[lang][k as keyof typeof en]), `${lang} ${k}`).toEqual(
          placeholders(en[k as keyof typeof en]),
        );
  });

  it('Arabic, Chinese and Russian strings are written in their own scripts', () => {
    const script = { ar: /\p{Script=Arabic}/u, zh: /\p{Script=Han}/u, ru: /\p{Script=Cyrillic}/u } as const;
    for (const [lang, re] of Object.entries(script)) {
      const latinOnly = keys.filter((k) => {
        const v = MESSAGES[lang as 'ar'][k as keyof typeof en].replace(/\{\w+\}/g, '');
        return /[A-Za-z]{3,}/.test(v) && !re.test(v);
      });
      expect(
        latinOnly.filter((k) => !SAME_AS_ENGLISH[k]?.includes(lang)),
        lang,
      ).toEqual([]);
    }
  });
});

describe('language negotiation and messages', () => {
  it('picks the best supported language from Accept-Language', () => {
    expect(negotiate('ar-EG,ar;q=0.9,en;q=0.8')).toBe('ar');
    expect(negotiate('de-DE,de;q=0.9,fr;q=0.5,en;q=0.4')).toBe('fr');
    expect(negotiate('zh-Hant-TW')).toBe('zh');
    expect(negotiate('de')).toBe('en');
    expect(negotiate('es;q=0, ru;q=0.2')).toBe('ru');
    expect(negotiate(undefined)).toBe('en');
  });

  it('fills placeholders', () => {
    expect(t('fr', 'coverage.count', { n: 3, m: 47 })).toBe('3 pays sur 47');
    expect(t('zh', 'coverage.count', { n: 3, m: 47 })).toBe('47个国家中的3个');
  });
});
