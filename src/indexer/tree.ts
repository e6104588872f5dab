/**
 * The indicator tree compiled into index arrays: indicators (leaves) first, then aggregates in
 * an order where every aggregate comes after all its children (so one pass aggregates the tree).
 * Level 1 = indicators; an aggregate's level is one more than its highest child's.
 */
import type { AggregationMethod, IndexSpec, NodeSpec } from './spec.ts';

export interface CompiledTree {
  /** Indicator codes (leaves), in spec order. */
  readonly indicators: readonly string[];
  /** Aggregate codes, children before parents; the last one is the root (the index). */
  readonly aggregates: readonly string[];
  /** indicators followed by aggregates: the columns of the aggregated data set. */
  readonly all: readonly string[];
  readonly root: string;
  /** For each aggregate k: positions in `all` of its children. */
  readonly children: readonly (readonly number[])[];
  /** For each position in `all`: position in `all` of its parent, −1 for the root. */
  readonly parent: Int32Array;
  /** For each position in `all`: level (1 = indicator). */
  readonly level: Int32Array;
  /** Nominal weight of each node (relative to its siblings). */
  readonly weight: Float64Array;
  /** Direction of each indicator (+1 or −1). */
  readonly direction: Float64Array;
  readonly nodes: readonly NodeSpec[];
  /** Aggregation method override per aggregate (from the node), or undefined. */
  readonly aggregation: readonly (AggregationMethod | undefined)[];
}

export function compileTree(spec: Pick<IndexSpec, 'tree'>): CompiledTree {
  const tree = spec.tree;
  const byCode = new Map(tree.map((n) => [n.code, n]));
  const kids = new Map<string, string[]>();
  for (const n of tree) {
    if (n.parent) {
      const list = kids.get(n.parent) ?? [];
      list.push(n.code);
      kids.set(n.parent, list);
    }
  }
  const indicators = tree.filter((n) => !kids.has(n.code)).map((n) => n.code);
  const root = tree.find((n) => !n.parent)?.code ?? '';
  // post-order from the root gives children before parents
  const aggregates: string[] = [];
  const visit = (code: string): void => {
    const ch = kids.get(code);
    if (!ch) return;
    for (const c of ch) visit(c);
    aggregates.push(code);
  };
  visit(root);
  const all = [...indicators, ...aggregates];
  const pos = new Map(all.map((c, i) => [c, i]));
  const parent = new Int32Array(all.length).fill(-1);
  const level = new Int32Array(all.length).fill(1);
  const weight = new Float64Array(all.length);
  const direction = new Float64Array(indicators.length);
  all.forEach((c, i) => {
    const n = byCode.get(c) as NodeSpec;
    parent[i] = n.parent ? (pos.get(n.parent) ?? -1) : -1;
    weight[i] = n.weight;
  });
  indicators.forEach((c, i) => {
    direction[i] = (byCode.get(c) as NodeSpec).direction;
  });
  const children = aggregates.map((a) => (kids.get(a) ?? []).map((c) => pos.get(c) as number));
  aggregates.forEach((_, k) => {
    const i = indicators.length + k;
    let l = 1;
    for (const c of children[k] as number[]) l = Math.max(l, (level[c] as number) + 1);
    level[i] = l;
  });
  return {
    indicators,
    aggregates,
    all,
    root,
    children,
    parent,
    level,
    weight,
    direction,
    nodes: all.map((c) => byCode.get(c) as NodeSpec),
    aggregation: aggregates.map((a) => byCode.get(a)?.aggregation),
  };
}

/**
 * Effective (nominal) weight of every node in the index: the product down the tree of each node's
 * weight divided by the sum of its siblings' weights. Indicators' effective weights sum to 1.
 */
export function effectiveWeights(t: CompiledTree, weights: Float64Array = t.weight): Float64Array {
  const n = t.all.length;
  const eff = new Float64Array(n);
  const rootPos = n - 1;
  eff[rootPos] = 1;
  for (let k = t.aggregates.length - 1; k >= 0; k--) {
    const p = t.indicators.length + k;
    const ch = t.children[k] as number[];
    let s = 0;
    for (const c of ch) s += weights[c] as number;
    for (const c of ch) eff[c] = s > 0 ? ((eff[p] as number) * (weights[c] as number)) / s : 0;
  }
  return eff;
}
