/**
 * Denomination: each indicator with a denominator is divided by that column, x / d (as COINr's
 * Denominate()), times the node's `denominatorScale` (default 1; e.g. 100 for "per 100 inhabitants",
 * a Pontis extension). A zero or missing denominator gives a missing value.
 */
import { invalid } from '../core/errors.ts';
import { type Matrix, makeMatrix } from './matrix.ts';
import type { CompiledTree } from './tree.ts';

export interface DenominateOptions {
  enabled?: boolean;
}

export interface DenominateResult {
  matrix: Matrix;
  /** Indicator → denominator actually applied. */
  applied: Record<string, string>;
}

export function denominate(
  values: Matrix,
  tree: CompiledTree,
  opts: DenominateOptions = {},
): DenominateResult {
  const enabled = opts.enabled ?? true;
  const n = values.rows.length;
  const out = makeMatrix(values.rows, tree.indicators);
  const applied: Record<string, string> = {};
  tree.indicators.forEach((code, j) => {
    const src = values.cols.indexOf(code);
    if (src < 0) throw invalid(`indicator "${code}" is not a column of the data`, { field: code });
    const node = tree.nodes[j];
    const den = enabled ? node?.denominator : undefined;
    if (!den) {
      out.data.set(values.data.subarray(src * n, (src + 1) * n), j * n);
      return;
    }
    const d = values.cols.indexOf(den);
    if (d < 0) throw invalid(`denominator "${den}" of "${code}" is not a column of the data`, { field: den });
    applied[code] = den;
    const scale = node?.denominatorScale ?? 1;
    for (let i = 0; i < n; i++) {
      const dv = values.data[d * n + i] as number;
      out.data[j * n + i] = dv === 0 ? Number.NaN : ((values.data[src * n + i] as number) / dv) * scale;
    }
  });
  return { matrix: out, applied };
}
