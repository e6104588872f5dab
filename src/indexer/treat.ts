/**
 * Outlier treatment of every indicator (see winsorise.ts for the rule), with a report per indicator.
 */
import { cloneMatrix, type Matrix } from './matrix.ts';
import { kurtosis, skewness } from './moments.ts';
import { failsSkewKurt, logShift, winsorise } from './winsorise.ts';

export interface TreatOptions {
  method?: 'none' | 'winsorise-log';
  winmax?: number;
  skewThreshold?: number;
  kurtThreshold?: number;
  exclude?: readonly string[];
}

export interface TreatRow {
  indicator: string;
  skew: number;
  kurt: number;
  failed: boolean;
  action: 'none' | 'winsorised' | 'log' | 'excluded';
  /** Number of winsorised points (0 if none or if the log fallback replaced them). */
  points: number;
  side: '' | 'high' | 'low' | 'both';
  /** Units whose value was winsorised. */
  units: string[];
  skewAfter: number;
  kurtAfter: number;
  passesAfter: boolean;
}

export function treat(m: Matrix, opts: TreatOptions = {}): { matrix: Matrix; report: TreatRow[] } {
  const method = opts.method ?? 'none';
  const out = cloneMatrix(m);
  const n = m.rows.length;
  const report: TreatRow[] = [];
  const th = { skewThreshold: opts.skewThreshold ?? 2, kurtThreshold: opts.kurtThreshold ?? 3.5 };
  const exclude = new Set(opts.exclude ?? []);
  for (let j = 0; j < m.cols.length; j++) {
    const code = m.cols[j] as string;
    const col = m.data.subarray(j * n, (j + 1) * n);
    const sk = skewness(col);
    const kt = kurtosis(col);
    const failed = failsSkewKurt(col, th);
    const row: TreatRow = {
      indicator: code,
      skew: sk,
      kurt: kt,
      failed,
      action: 'none',
      points: 0,
      side: '',
      units: [],
      skewAfter: sk,
      kurtAfter: kt,
      passesAfter: !failed,
    };
    if (method === 'none' || exclude.has(code)) {
      if (exclude.has(code) && method !== 'none') row.action = 'excluded';
      report.push(row);
      continue;
    }
    if (failed) {
      const w = winsorise(col, { ...th, winmax: opts.winmax ?? 5 });
      let res: Float64Array;
      if (w.passes) {
        res = w.x;
        row.action = 'winsorised';
        row.points = w.changed.length;
        row.side = w.side;
        row.units = w.changed.map((i) => m.rows[i] as string);
      } else {
        res = logShift(col);
        row.action = 'log';
      }
      out.data.set(res, j * n);
      row.skewAfter = skewness(res);
      row.kurtAfter = kurtosis(res);
      row.passesAfter = !failsSkewKurt(res, th);
    }
    report.push(row);
  }
  return { matrix: out, report };
}
