/**
 * A match's explanation for people: each factor of the score (match-score.ts) as a sentence in the
 * page language, with its contribution as a number and a <meter> (its weight is the meter's
 * maximum), largest contribution first, so that a reader sees why a result ranks where it does.
 */
import type { FactorScore } from '../../registry/match-score.ts';
import { type Html, html } from '../html.ts';
import type { Lang } from '../i18n.ts';
import { t } from '../i18n.ts';
import { num2, pct } from './ui.ts';
import { countryName, goalLabel, list, regionName, term } from './vocab.ts';

const strings = (xs: readonly (string | number)[] | undefined): string[] => (xs ?? []).map(String);

/** The sentence for one factor. */
export function factorSentence(lang: Lang, f: FactorScore): string {
  const e = f.evidence;
  const shared = strings(e.shared);
  switch (f.factor) {
    case 'text':
      return shared.length > 0
        ? t(lang, 'reg.why.text', {
            words: list(
              lang,
              shared.slice(0, 8).map((w) => `“${w}”`),
            ),
          })
        : t(lang, 'reg.why.text.none');
    case 'sdg':
      if (e.detail === 'untagged') return t(lang, 'reg.why.untagged');
      return shared.length > 0
        ? t(lang, 'reg.why.sdg', {
            goals: list(
              lang,
              shared.map((g) => goalLabel(lang, Number(g))),
            ),
          })
        : t(lang, 'reg.why.sdg.none');
    case 'sector':
      if (e.detail === 'untagged') return t(lang, 'reg.why.untagged');
      return shared.length > 0
        ? t(lang, 'reg.why.sector', {
            sectors: list(
              lang,
              shared.map((s) => term(lang, 'sector', s)),
            ),
          })
        : t(lang, 'reg.why.sector.none');
    case 'geography':
      switch (e.detail) {
        case 'country':
          return t(lang, 'reg.why.geo.country', {
            places: list(
              lang,
              shared.map((c) => countryName(lang, c)),
            ),
          });
        case 'sub-region':
        case 'region':
          return t(lang, 'reg.why.geo.region', {
            places: list(
              lang,
              shared.map((r) => regionName(lang, r)),
            ),
          });
        case 'offer is global':
          return t(lang, 'reg.why.geo.global');
        case 'need is global':
          return t(lang, 'reg.why.geo.anywhere');
        default:
          return t(lang, 'reg.why.geo.elsewhere');
      }
    case 'readiness': {
      if (e.detail === 'unknown') return t(lang, 'reg.why.readiness.unknown');
      const [need, offer] = shared;
      return e.detail === 'ready'
        ? t(lang, 'reg.why.readiness.ready', { need: need ?? '', offer: offer ?? '' })
        : t(lang, 'reg.why.readiness.short', { need: need ?? '', offer: offer ?? '' });
    }
    case 'terms':
      if (e.detail === 'unstated') return t(lang, 'reg.why.terms.unstated');
      return t(lang, 'reg.why.terms', {
        terms: list(
          lang,
          shared.map((x) => term(lang, 'term', x)),
        ),
      });
  }
}

/** The score and its factors: a list with a meter, the points and the sentence for each. */
export function explanation(lang: Lang, score: number, factors: readonly FactorScore[], id: string): Html {
  const scoreId = `score-${id}`;
  return html`<p class="score"><span id="${scoreId}">${t(lang, 'reg.match.score')}</span> <meter min="0" max="1" value="${score.toFixed(3)}" aria-labelledby="${scoreId}"></meter> <strong>${pct(lang, score)}</strong></p>
<ul class="factors">${factors.map((f) => {
    const name = t(lang, `reg.factor.${f.factor}`);
    return html`<li><span class="factor">${name}</span> <meter min="0" max="${f.weight}" value="${f.contribution.toFixed(4)}" aria-label="${t(lang, 'reg.match.points', { factor: name, points: num2(lang, f.contribution), max: num2(lang, f.weight) })}"></meter> <span class="num">${t(lang, 'reg.match.pts', { points: num2(lang, f.contribution), max: num2(lang, f.weight) })}</span> <span class="why">${factorSentence(lang, f)}</span></li>`;
  })}</ul>`;
}
