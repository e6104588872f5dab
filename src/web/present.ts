/**
 * How statistics are shown: a value or "withheld" with the reason (in the page's language), the
 * coverage (countries and population share), the sources with their vintages, and indicator names
 * (translated where the locale has them, else the store's English name marked lang="en").
 */
import type { Coverage } from '../stats/coverage.ts';
import type { StatResult } from '../stats/result.ts';
import type { SourceRef } from '../store/sources.ts';
import { foreign, type Html, html } from './html.ts';
import { fmtDate, fmtShare, type Lang, MESSAGES, type MessageKey, t } from './i18n.ts';

/** The reason a result was withheld, in the page's language (from its coverage and rule). */
export function withheldReason(lang: Lang, coverage: Coverage, minShare: unknown): string {
  if (coverage.withData === 0) return t(lang, 'withheld.nodata');
  const min = typeof minShare === 'number' ? minShare : 0.5;
  if (coverage.weightShare !== null && coverage.weightShare < min)
    return t(lang, 'withheld.coverage', {
      share: fmtShare(lang, coverage.weightShare),
      min: fmtShare(lang, min, 0),
    });
  return t(lang, 'withheld.other');
}

/** A result cell: the formatted value, or "Withheld: reason". */
export function statCell<T>(lang: Lang, r: StatResult<T>, format: (v: T) => string): Html {
  if (r.status === 'ok') return html`${format(r.value)}`;
  const reason = withheldReason(lang, r.coverage, r.method.params?.minWeightShare);
  return html`<span class="withheld">${t(lang, 'withheld')}</span>: ${reason}`;
}

export function coverageText(lang: Lang, c: Coverage): string {
  if (c.weightShare === null) return t(lang, 'coverage.count', { n: c.withData, m: c.members });
  return t(lang, 'coverage.text', { n: c.withData, m: c.members, share: fmtShare(lang, c.weightShare) });
}

/** "Source: X (vintage Y)" lines, one per dataset, the English source names marked as English. */
export function sourceList(lang: Lang, sources: readonly SourceRef[]): Html {
  const seen = new Set<number>();
  const items: Html[] = [];
  for (const s of sources) {
    if (seen.has(s.dataset)) continue;
    seen.add(s.dataset);
    const name = foreign(s.source ?? s.file, 'en', lang);
    const vintage = s.vintage ? html` (${t(lang, 'vintage', { v: fmtDate(lang, s.vintage) })})` : '';
    items.push(html`<li>${name}${vintage}</li>`);
  }
  return html`<ul class="sources meta">${items}</ul>`;
}

export function hasTranslation(lang: Lang, key: string): key is MessageKey {
  return key in MESSAGES[lang];
}

/** An indicator's name in the language: the locale's translation, else the store's English name. */
export function indicatorName(lang: Lang, code: string, english: string | null): Html {
  const key = `ind.${code}`;
  if (hasTranslation(lang, key)) return html`${t(lang, key)}`;
  return foreign(english ?? code, 'en', lang);
}

/** The same as text (for titles and attributes). */
export function indicatorNameText(lang: Lang, code: string, english: string | null): string {
  const key = `ind.${code}`;
  return hasTranslation(lang, key) ? t(lang, key) : (english ?? code);
}
