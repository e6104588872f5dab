/**
 * Normalisation of every indicator column onto a common scale. Negative-direction indicators are
 * reversed first (x → −x, and their goalposts and target with them), so that higher is always better.
 *
 * - minmax:      l + (x − min)/(max − min) · (u − l); a constant column gets the midpoint (l + u)/2.
 * - goalposts:   l + (x − lo)/(hi − lo) · (u − l), clipped to [l, u] when `truncate` (the IDI rule);
 *                for a negative indicator (hi − x)/(hi − lo). Goalposts `observed` (a provisional rule
 *                for unknown goalposts) take lo and hi from the column: the result is min-max.
 * - zscore:      zMean + zSd · (x − mean)/sd (sample sd).
 * - rank:        ascending rank, ties share the lowest rank (1 = worst).
 * - percentile-rank: l + (r − 1)/(n − 1) · (u − l), r the ascending rank with ties averaged.
 * - distance-to-target: l + (x − min)/(target − min) · (u − l), capped at u when `cap`.
 * - none:        values unchanged (direction still applied).
 * Missing values stay missing.
 */
import { type Matrix, makeMatrix } from './matrix.ts';
import { max, mean, min, sd } from './moments.ts';
import { rankAverage, rankMinAscending } from './rank.ts';
import type { NormalisationMethod } from './spec.ts';

export interface NormaliseOptions {
  method?: NormalisationMethod;
  range?: readonly [number, number];
  zMean?: number;
  zSd?: number;
  truncate?: boolean;
  cap?: boolean;
}

export interface IndicatorMeta {
  direction: number;
  goalposts?: readonly [number, number] | 'observed' | undefined;
  target?: number | null | undefined;
}

export function normaliseColumn(
  x: ArrayLike<number>,
  meta: IndicatorMeta,
  opts: NormaliseOptions = {},
): Float64Array {
  const method = opts.method ?? 'minmax';
  const [l, u] = opts.range ?? [0, 100];
  const dir = meta.direction < 0 ? -1 : 1;
  const n = x.length;
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = dir * (x[i] as number);
  const out = new Float64Array(n);
  switch (method) {
    case 'none':
      return v;
    case 'minmax': {
      const lo = min(v);
      const hi = max(v);
      for (let i = 0; i < n; i++) {
        const xi = v[i] as number;
        out[i] = Number.isNaN(xi)
          ? Number.NaN
          : hi === lo
            ? (l + u) / 2
            : l + ((xi - lo) / (hi - lo)) * (u - l);
      }
      return out;
    }
    case 'goalposts': {
      const given = meta.goalposts;
      if (!given) return out.fill(Number.NaN);
      // `observed`: the column's own range, in the indicator's units (v is reversed when dir < 0)
      const gp: readonly [number, number] =
        given === 'observed' ? (dir > 0 ? [min(v), max(v)] : [-max(v), -min(v)]) : given;
      if (given === 'observed' && !(gp[1] > gp[0])) {
        // a constant column (or one value): the midpoint, as min-max does; all missing stays missing
        for (let i = 0; i < n; i++) out[i] = Number.isNaN(v[i] as number) ? Number.NaN : (l + u) / 2;
        return out;
      }
      // reversing x also reverses the goalposts: [lo, hi] → [−hi, −lo]
      const lo = dir > 0 ? gp[0] : -gp[1];
      const hi = dir > 0 ? gp[1] : -gp[0];
      const trunc = opts.truncate ?? true;
      for (let i = 0; i < n; i++) {
        const xi = v[i] as number;
        let f = (xi - lo) / (hi - lo);
        if (trunc) f = Math.min(1, Math.max(0, f));
        out[i] = Number.isNaN(xi) ? Number.NaN : l + f * (u - l);
      }
      return out;
    }
    case 'zscore': {
      const m = mean(v);
      const s = sd(v);
      const zm = opts.zMean ?? 0;
      const zs = opts.zSd ?? 1;
      for (let i = 0; i < n; i++) out[i] = s > 0 ? zm + (zs * ((v[i] as number) - m)) / s : zm;
      for (let i = 0; i < n; i++) if (Number.isNaN(v[i] as number)) out[i] = Number.NaN;
      return out;
    }
    case 'rank':
      return rankMinAscending(v);
    case 'percentile-rank': {
      const r = rankAverage(v);
      let cnt = 0;
      for (let i = 0; i < n; i++) if (!Number.isNaN(v[i] as number)) cnt++;
      for (let i = 0; i < n; i++)
        out[i] = cnt > 1 ? l + (((r[i] as number) - 1) / (cnt - 1)) * (u - l) : (l + u) / 2;
      for (let i = 0; i < n; i++) if (Number.isNaN(v[i] as number)) out[i] = Number.NaN;
      return out;
    }
    case 'distance-to-target': {
      const t = meta.target;
      if (t === undefined || t === null) return out.fill(Number.NaN);
      const tt = dir * t;
      const lo = min(v);
      const cap = opts.cap ?? true;
      for (let i = 0; i < n; i++) {
        let f = ((v[i] as number) - lo) / (tt - lo);
        if (cap) f = Math.min(1, f);
        out[i] = l + f * (u - l);
      }
      return out;
    }
  }
}

export function normalise(m: Matrix, metas: readonly IndicatorMeta[], opts: NormaliseOptions = {}): Matrix {
  const n = m.rows.length;
  const out = makeMatrix(m.rows, m.cols);
  for (let j = 0; j < m.cols.length; j++) {
    out.data.set(
      normaliseColumn(m.data.subarray(j * n, (j + 1) * n), metas[j] ?? { direction: 1 }, opts),
      j * n,
    );
  }
  return out;
}
