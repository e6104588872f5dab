/**
 * Statistical audit of a built index (deterministic part): indicator statistics, correlations within
 * and across levels with flags, Cronbach's alpha and PCA per aggregate, effective weights, and the
 * rank change when each component is removed (weight set to 0, everything else unchanged).
 */

import { type CorrelationFlag, type CorrelationMethod, correlation, correlationFlag } from './correlation.ts';
import { cronbachAlpha } from './cronbach.ts';
import type { IndexData } from './data.ts';
import { describe, type StatsRow } from './descriptive.ts';
import type { Matrix } from './matrix.ts';
import { pca } from './pca.ts';
import { type PipelineResult, runPipeline } from './pipeline.ts';
import type { IndexSpec } from './spec.ts';
import { effectiveWeights } from './tree.ts';

export interface CorrelationRow {
  a: string;
  b: string;
  /** 'within' (siblings under the same parent) or 'parent' (a child against its parent) or 'index'. */
  relation: 'within' | 'parent' | 'index';
  method: CorrelationMethod;
  r: number;
  flag: CorrelationFlag;
}

export interface AggregateAudit {
  code: string;
  level: number;
  children: string[];
  alpha: number;
  pcaFirstShare: number;
  pcaEigenvalues: number[];
  pcaLoadings: number[];
}

export interface EffectiveWeightRow {
  code: string;
  level: number;
  nominal: number;
  /** Squared Pearson correlation with the index, as a share of the sum over the same level. */
  corrShare: number;
}

export interface RemovalRow {
  code: string;
  level: number;
  meanAbsRankChange: number;
  maxAbsRankChange: number;
  /** Ranks with the component removed, aligned with the result's units. */
  ranks: number[];
}

export interface Audit {
  statistics: { raw: StatsRow[]; normalised: StatsRow[] };
  correlations: CorrelationRow[];
  aggregates: AggregateAudit[];
  effectiveWeights: EffectiveWeightRow[];
  removal: RemovalRow[];
}

function col(m: Matrix, code: string): Float64Array {
  const j = m.cols.indexOf(code);
  const n = m.rows.length;
  return m.data.subarray(j * n, (j + 1) * n);
}

export function auditIndex(result: PipelineResult, data: IndexData, spec: IndexSpec): Audit {
  const t = result.tree;
  const agg = result.stages.aggregated;
  const parentOf = (code: string) => {
    const i = t.all.indexOf(code);
    const p = t.parent[i] as number;
    return p >= 0 ? t.all[p] : undefined;
  };
  const raw = result.stages.denominated;
  const stats = {
    raw: describe(raw, { parents: raw.cols.map(parentOf) }),
    normalised: describe(result.stages.normalised, { parents: result.stages.normalised.cols.map(parentOf) }),
  };
  const correlations: CorrelationRow[] = [];
  const methods: CorrelationMethod[] = ['pearson', 'spearman'];
  t.aggregates.forEach((code, k) => {
    const ch = (t.children[k] as number[]).map((c) => t.all[c] as string);
    for (const method of methods) {
      for (let a = 0; a < ch.length; a++) {
        for (let b = a + 1; b < ch.length; b++) {
          const r = correlation(col(agg, ch[a] as string), col(agg, ch[b] as string), method);
          correlations.push({
            a: ch[a] as string,
            b: ch[b] as string,
            relation: 'within',
            method,
            r,
            flag: correlationFlag(r),
          });
        }
        const r = correlation(col(agg, ch[a] as string), col(agg, code), method);
        correlations.push({
          a: ch[a] as string,
          b: code,
          relation: 'parent',
          method,
          r,
          flag: correlationFlag(r),
        });
      }
    }
  });
  for (const method of methods) {
    for (const code of t.all.slice(0, -1)) {
      if (parentOf(code) === t.root) continue; // already as 'parent'
      const r = correlation(col(agg, code), col(agg, t.root), method);
      correlations.push({ a: code, b: t.root, relation: 'index', method, r, flag: correlationFlag(r) });
    }
  }
  const aggregates: AggregateAudit[] = t.aggregates.map((code, k) => {
    const ch = (t.children[k] as number[]).map((c) => t.all[c] as string);
    const cols = ch.map((c) => col(agg, c));
    const p = pca(cols);
    return {
      code,
      level: t.level[t.indicators.length + k] as number,
      children: ch,
      alpha: cronbachAlpha(cols),
      pcaFirstShare: p.varianceShare[0] ?? Number.NaN,
      pcaEigenvalues: p.eigenvalues,
      pcaLoadings: p.loadings,
    };
  });
  const eff = effectiveWeights(t, result.weights);
  const r2 = t.all.map((c) => {
    const r = correlation(col(agg, c), col(agg, t.root), 'pearson');
    return r * r;
  });
  const levelSum = new Map<number, number>();
  t.all.forEach((_, i) => {
    if (i === t.all.length - 1) return;
    const l = t.level[i] as number;
    levelSum.set(l, (levelSum.get(l) ?? 0) + (Number.isNaN(r2[i] as number) ? 0 : (r2[i] as number)));
  });
  const effectiveWeightsRows: EffectiveWeightRow[] = t.all.slice(0, -1).map((code, i) => ({
    code,
    level: t.level[i] as number,
    nominal: eff[i] as number,
    corrShare: (r2[i] as number) / (levelSum.get(t.level[i] as number) ?? 1),
  }));
  // removal: each component (not the root), weight → 0
  const removal: RemovalRow[] = [];
  t.all.slice(0, -1).forEach((code, i) => {
    const w = Float64Array.from(result.weights);
    w[i] = 0;
    const r = runPipeline(data, spec, {
      cache: result.cache,
      override: result.steps,
      weights: w,
      tree: t,
      contributions: false,
    });
    let sum = 0;
    let mx = 0;
    let cnt = 0;
    const ranks: number[] = [];
    result.units.forEach((u, ui) => {
      const k = r.units.indexOf(u);
      const nr = k >= 0 ? (r.ranks[k] as number) : Number.NaN;
      ranks.push(nr);
      const d = Math.abs(nr - (result.ranks[ui] as number));
      if (!Number.isNaN(d)) {
        sum += d;
        cnt++;
        mx = Math.max(mx, d);
      }
    });
    removal.push({
      code,
      level: t.level[i] as number,
      meanAbsRankChange: cnt ? sum / cnt : Number.NaN,
      maxAbsRankChange: mx,
      ranks,
    });
  });
  return { statistics: stats, correlations, aggregates, effectiveWeights: effectiveWeightsRows, removal };
}
