/**
 * What the engine computes from: a table of units × numeric columns (indicators and denominators),
 * grouping columns, and optionally a panel (units × columns × years) for nearest-year imputation.
 */
import type { Matrix } from './matrix.ts';

export interface IndexData {
  /** Units × numeric columns (indicators, denominators). */
  readonly values: Matrix;
  /** Unit display names, aligned with values.rows. */
  readonly names?: readonly string[];
  /** Grouping columns: code → one label per unit (null = no group). */
  readonly groups?: Readonly<Record<string, readonly (string | null)[]>>;
  /** Panel for nearest-year imputation; every slice has the same rows and columns as `values`. */
  readonly panel?: Panel;
}

export interface Panel {
  readonly years: readonly number[];
  /** One matrix per year, aligned with `years`. */
  readonly slices: readonly Matrix[];
}
