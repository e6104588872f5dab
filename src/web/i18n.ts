/**
 * The six UN languages: UI strings, language negotiation, the language switcher's names, and
 * locale-aware number formatting (Intl). Every locale file has exactly the keys of en.ts (checked
 * by the compiler through the `Messages` type and by test/web/i18n.test.ts).
 */
import { LANGS, type Lang } from '../core/indicator.ts';
import { ar } from './i18n/ar.ts';
import { en, type MessageKey, type Messages } from './i18n/en.ts';
import { es } from './i18n/es.ts';
import { fr } from './i18n/fr.ts';
import { ru } from './i18n/ru.ts';
import { zh } from './i18n/zh.ts';

export type { MessageKey, Messages };
export { LANGS, type Lang };

export const MESSAGES: Record<Lang, Messages> = { ar, zh, en, fr, ru, es };

/** Each language named in itself (for the switcher). */
export const LANG_NAMES: Record<Lang, string> = {
  ar: 'العربية',
  zh: '中文',
  en: 'English',
  fr: 'Français',
  ru: 'Русский',
  es: 'Español',
};

/** BCP 47 tags for Intl: Arabic with Latin digits is the UN's practice in its Arabic documents. */
const INTL_LOCALE: Record<Lang, string> = {
  ar: 'ar-u-nu-latn',
  zh: 'zh-Hans',
  en: 'en',
  fr: 'fr',
  ru: 'ru',
  es: 'es',
};

export function isLang(s: string): s is Lang {
  return (LANGS as readonly string[]).includes(s);
}

export function dir(lang: Lang): 'rtl' | 'ltr' {
  return lang === 'ar' ? 'rtl' : 'ltr';
}

/** The translated string with {placeholders} replaced (values are text; escaping is the caller's). */
export function t(lang: Lang, key: MessageKey, params: Record<string, string | number> = {}): string {
  const s = MESSAGES[lang][key];
  return s.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

/** Picks the best of the six languages from an Accept-Language header (default English). */
export function negotiate(header: string | undefined): Lang {
  if (!header) return 'en';
  const prefs = header
    .split(',')
    .map((part, i) => {
      const [tag = '', ...ps] = part.trim().split(';');
      const q = ps.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q ? Number(q.slice(2)) : 1;
      return { lang: tag.toLowerCase().split('-')[0] ?? '', q: Number.isFinite(weight) ? weight : 0, i };
    })
    .filter((p) => p.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const p of prefs) if (isLang(p.lang)) return p.lang;
  return 'en';
}

const numberFormats = new Map<string, Intl.NumberFormat>();

function nf(lang: Lang, opts: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${lang}|${JSON.stringify(opts)}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(INTL_LOCALE[lang], opts);
    numberFormats.set(key, f);
  }
  return f;
}

/** A number with a fixed number of decimals for the locale. */
export function fmtNumber(lang: Lang, v: number, decimals = 1): string {
  return nf(lang, { minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(v);
}

/** A number with as many decimals as it has, up to `max` (data values as published). */
export function fmtValue(lang: Lang, v: number, max = 2): string {
  return nf(lang, { maximumFractionDigits: max }).format(v);
}

/** A share (0.536 → 53.6 %) for the locale. */
export function fmtShare(lang: Lang, share: number, decimals = 1): string {
  return nf(lang, {
    style: 'percent',
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  }).format(share);
}

/** A year as a plain number (no grouping separator). */
export function fmtYear(lang: Lang, year: number): string {
  return nf(lang, { useGrouping: false }).format(year);
}

/** A date (YYYY-MM-DD or ISO timestamp) for the locale; text that is not a date is returned as is. */
export function fmtDate(lang: Lang, iso: string): string {
  if (!/^\d{4}-\d{2}-\d{2}/.test(iso)) return iso;
  const d = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(INTL_LOCALE[lang], { dateStyle: 'long', timeZone: 'UTC' }).format(d);
}
