/**
 * Cronbach's alpha of k items over the complete cases (units with every item available):
 *   α = k/(k − 1) · (1 − Σ var(item) / var(Σ items)),  sample variances.
 */
import { variance } from './moments.ts';

export function cronbachAlpha(items: readonly ArrayLike<number>[]): number {
  const k = items.length;
  if (k < 2) return Number.NaN;
  const n = (items[0] as ArrayLike<number>).length;
  const rows: number[] = [];
  for (let i = 0; i < n; i++) if (items.every((c) => !Number.isNaN(c[i] as number))) rows.push(i);
  if (rows.length < 2) return Number.NaN;
  let sumVar = 0;
  const total = new Float64Array(rows.length);
  for (const c of items) {
    const v = Float64Array.from(rows, (i) => c[i] as number);
    sumVar += variance(v);
    v.forEach((x, t) => {
      total[t] = (total[t] as number) + x;
    });
  }
  const vt = variance(total);
  return vt === 0 ? Number.NaN : (k / (k - 1)) * (1 - sumVar / vt);
}
