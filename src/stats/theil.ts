/**
 * Theil T index across countries, population-weighted, with its exact decomposition for a
 * grouping (Theil 1967; Conceição and Galbraith 2000):
 *
 *   T = (1/W) Σ_i w_i (x_i/μ) ln(x_i/μ) = Σ_i s_i ln(s_i / p_i)
 *
 * with p_i = w_i / W (population share) and s_i = w_i x_i / Σ w x (share of the total). For
 * groups g with shares P_g = Σ_{i∈g} p_i and S_g = Σ_{i∈g} s_i:
 *
 *   T = Σ_g S_g T_g  (within)  +  Σ_g S_g ln(S_g / P_g)  (between)
 *
 * where T_g is the Theil T inside group g. The identity is exact; the code computes the total
 * independently so tests can check it. Zero values contribute 0 (the limit of s ln s).
 */
import { invalid } from '../core/errors.ts';
import { checkSample, type WeightedValue } from './weighted.ts';

export const THEIL_FORMULA = 'T = Σ_i s_i ln(s_i / p_i); T = Σ_g S_g T_g + Σ_g S_g ln(S_g / P_g)';

const xlogy = (s: number, ratio: number) => (s === 0 ? 0 : s * Math.log(ratio));

export function theil(points: readonly WeightedValue[]): number {
  const { x, w, total, mean } = checkSample(points, { nonNegative: true, what: 'a Theil index' });
  if (mean <= 0) throw invalid('the weighted mean is 0: the Theil index is undefined', { field: 'values' });
  let t = 0;
  for (let i = 0; i < x.length; i++) {
    if (w[i] === 0) continue;
    const r = x[i]! / mean;
    t += (w[i]! / total) * xlogy(r, r);
  }
  return t;
}

export interface TheilGroup {
  group: string;
  countries: number;
  /** P_g */
  populationShare: number;
  /** S_g */
  outcomeShare: number;
  /** weighted mean of the group */
  mean: number;
  /** T_g */
  theil: number;
  /** S_g T_g */
  withinContribution: number;
  /** S_g ln(S_g / P_g) */
  betweenContribution: number;
}

export interface TheilDecomposition {
  total: number;
  within: number;
  between: number;
  groups: TheilGroup[];
}

export function theilDecomposition(
  points: readonly WeightedValue[],
  groupOf: (geo: string) => string | undefined,
): TheilDecomposition {
  const { total: W, mean } = checkSample(points, { nonNegative: true, what: 'a Theil index' });
  if (mean <= 0) throw invalid('the weighted mean is 0: the Theil index is undefined', { field: 'values' });
  const Y = W * mean;
  const byGroup = new Map<string, WeightedValue[]>();
  for (const p of points) {
    const g = groupOf(p.geo);
    if (g === undefined) throw invalid(`'${p.geo}' belongs to no group of the grouping`, { field: 'geo' });
    const list = byGroup.get(g);
    if (list) list.push(p);
    else byGroup.set(g, [p]);
  }
  const groups: TheilGroup[] = [];
  let within = 0;
  let between = 0;
  for (const code of [...byGroup.keys()].sort()) {
    const pts = byGroup.get(code)!;
    const Wg = pts.reduce((s, p) => s + p.weight, 0);
    const Yg = pts.reduce((s, p) => s + p.weight * p.value, 0);
    const P = Wg / W;
    const S = Yg / Y;
    const Tg = Yg > 0 ? theil(pts) : 0;
    const wc = S * Tg;
    const bc = S === 0 ? 0 : S * Math.log(S / P);
    within += wc;
    between += bc;
    groups.push({
      group: code,
      countries: pts.length,
      populationShare: P,
      outcomeShare: S,
      mean: Wg > 0 ? Yg / Wg : 0,
      theil: Tg,
      withinContribution: wc,
      betweenContribution: bc,
    });
  }
  return { total: theil(points), within, between, groups };
}
