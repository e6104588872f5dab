/**
 * Aggregation up the tree: every aggregate is a weighted mean (arithmetic, geometric or harmonic)
 * or a Copeland score of its children, children before parents. The method of an aggregate is, in
 * order: the node's own `aggregation`, the step's `byLevel[level]`, the step's `method`.
 * The result holds every indicator and aggregate column (tree.all order).
 */
import { invalid } from '../core/errors.ts';
import { copeland } from './copeland.ts';
import { type Matrix, makeMatrix } from './matrix.ts';
import type { AggregationMethod } from './spec.ts';
import type { CompiledTree } from './tree.ts';

export interface AggregateOptions {
  method?: AggregationMethod;
  byLevel?: Readonly<Record<string, AggregationMethod>>;
  /** Weights per node in tree.all order (default: the tree's nominal weights). */
  weights?: Float64Array;
}

export function methodOf(tree: CompiledTree, k: number, opts: AggregateOptions): AggregationMethod {
  const pos = tree.indicators.length + k;
  return tree.aggregation[k] ?? opts.byLevel?.[String(tree.level[pos])] ?? opts.method ?? 'arithmetic';
}

/** `normalised` must have the tree's indicators as columns, in order. */
export function aggregate(normalised: Matrix, tree: CompiledTree, opts: AggregateOptions = {}): Matrix {
  const n = normalised.rows.length;
  const ni = tree.indicators.length;
  const out = makeMatrix(normalised.rows, tree.all);
  out.data.set(normalised.data.subarray(0, ni * n), 0);
  const w = opts.weights ?? tree.weight;
  // column-wise accumulation over units (the same sums, child by child, as weightedMean)
  const acc = new Float64Array(n);
  const sw = new Float64Array(n);
  const zero = new Uint8Array(n);
  for (let k = 0; k < tree.aggregates.length; k++) {
    const ch = tree.children[k] as readonly number[];
    const pos = ni + k;
    const method = methodOf(tree, k, opts);
    if (method === 'copeland') {
      const cols = ch.map((c) => out.data.subarray(c * n, (c + 1) * n));
      out.data.set(
        copeland(
          cols,
          Float64Array.from(ch, (c) => w[c] as number),
          n,
        ),
        pos * n,
      );
      continue;
    }
    acc.fill(0);
    sw.fill(0);
    zero.fill(0);
    for (const c of ch) {
      const wc = w[c] as number;
      if (wc === 0) continue;
      const base = c * n;
      const d = out.data;
      if (method === 'arithmetic') {
        for (let i = 0; i < n; i++) {
          const v = d[base + i] as number;
          if (Number.isNaN(v)) continue;
          sw[i] = (sw[i] as number) + wc;
          acc[i] = (acc[i] as number) + wc * v;
        }
        continue;
      }
      for (let i = 0; i < n; i++) {
        const v = d[base + i] as number;
        if (Number.isNaN(v)) continue;
        sw[i] = (sw[i] as number) + wc;
        if (v > 0) acc[i] = (acc[i] as number) + (method === 'geometric' ? wc * Math.log(v) : wc / v);
        else if (v === 0) zero[i] = 1;
        else {
          throw invalid(
            `a ${method} mean needs values ≥ 0, got ${v} (unit ${normalised.rows[i]}, aggregate ${tree.aggregates[k]}); normalise to a positive range, e.g. [1, 100]`,
            { field: 'steps.aggregate' },
          );
        }
      }
    }
    const dst = pos * n;
    for (let i = 0; i < n; i++) {
      const s = sw[i] as number;
      const a = acc[i] as number;
      out.data[dst + i] =
        s === 0
          ? Number.NaN
          : method === 'arithmetic'
            ? a / s
            : zero[i]
              ? 0
              : method === 'geometric'
                ? Math.exp(a / s)
                : s / a;
    }
  }
  return out;
}

/**
 * Each indicator's contribution to each unit's index score, for trees aggregated with arithmetic
 * means: the normalised value times the product, down the tree, of each node's weight over the sum
 * of its available siblings' weights. Contributions of a unit sum to its index score.
 * Aggregates using another method make the contributions of their descendants NaN.
 */
export function contributions(aggregated: Matrix, tree: CompiledTree, opts: AggregateOptions = {}): Matrix {
  const n = aggregated.rows.length;
  const ni = tree.indicators.length;
  const w = opts.weights ?? tree.weight;
  const out = makeMatrix(aggregated.rows, tree.indicators);
  const factor = new Float64Array(tree.all.length);
  for (let i = 0; i < n; i++) {
    factor.fill(0);
    factor[tree.all.length - 1] = 1;
    for (let k = tree.aggregates.length - 1; k >= 0; k--) {
      const p = ni + k;
      const ch = tree.children[k] as readonly number[];
      const arith = methodOf(tree, k, opts) === 'arithmetic';
      let s = 0;
      for (const c of ch) if (!Number.isNaN(aggregated.data[c * n + i] as number)) s += w[c] as number;
      for (const c of ch) {
        const avail = !Number.isNaN(aggregated.data[c * n + i] as number);
        factor[c] = !arith ? Number.NaN : avail && s > 0 ? ((factor[p] as number) * (w[c] as number)) / s : 0;
      }
    }
    for (let j = 0; j < ni; j++) {
      const v = aggregated.data[j * n + i] as number;
      out.data[j * n + i] = Number.isNaN(v) ? 0 * (factor[j] as number) : (factor[j] as number) * v;
    }
  }
  return out;
}
