/**
 * A unit × column matrix of numbers, stored column-major in a Float64Array (NaN = missing).
 * `data[j * rows.length + i]` is unit i, column j. Column-major keeps each indicator contiguous,
 * which is what almost every step (imputation, treatment, normalisation) walks over.
 */
export interface Matrix {
  /** Unit codes, one per row. */
  readonly rows: readonly string[];
  /** Indicator or aggregate codes, one per column. */
  readonly cols: readonly string[];
  readonly data: Float64Array;
}

export function makeMatrix(rows: readonly string[], cols: readonly string[], data?: Float64Array): Matrix {
  const size = rows.length * cols.length;
  const d = data ?? new Float64Array(size).fill(Number.NaN);
  if (d.length !== size) throw new RangeError(`matrix data has ${d.length} cells, expected ${size}`);
  return { rows, cols, data: d };
}

/** Build from row-major nested arrays (handy in tests). `null` or `undefined` → NaN. */
export function fromRows(
  rows: readonly string[],
  cols: readonly string[],
  values: readonly (readonly (number | null | undefined)[])[],
): Matrix {
  const m = makeMatrix(rows, cols);
  const n = rows.length;
  for (let i = 0; i < n; i++) {
    const r = values[i] ?? [];
    for (let j = 0; j < cols.length; j++) {
      const v = r[j];
      m.data[j * n + i] = v === null || v === undefined ? Number.NaN : v;
    }
  }
  return m;
}

export function colIndex(m: Matrix, code: string): number {
  return m.cols.indexOf(code);
}

/** A copy of one column (a new Float64Array). */
export function column(m: Matrix, j: number): Float64Array {
  const n = m.rows.length;
  return m.data.slice(j * n, (j + 1) * n);
}

/** A view (no copy) of one column. */
export function columnView(m: Matrix, j: number): Float64Array {
  const n = m.rows.length;
  return m.data.subarray(j * n, (j + 1) * n);
}

export function get(m: Matrix, unit: string, col: string): number {
  const i = m.rows.indexOf(unit);
  const j = m.cols.indexOf(col);
  if (i < 0 || j < 0) return Number.NaN;
  return m.data[j * m.rows.length + i] as number;
}

export function cloneMatrix(m: Matrix): Matrix {
  return { rows: m.rows, cols: m.cols, data: m.data.slice() };
}

/** Keep only the given columns, in the given order. */
export function selectCols(m: Matrix, cols: readonly string[]): Matrix {
  const n = m.rows.length;
  const out = makeMatrix(m.rows, cols);
  cols.forEach((c, k) => {
    const j = m.cols.indexOf(c);
    if (j >= 0) out.data.set(m.data.subarray(j * n, (j + 1) * n), k * n);
  });
  return out;
}

/** Keep only the rows whose flag is true. */
export function selectRows(m: Matrix, keep: readonly boolean[]): Matrix {
  const n = m.rows.length;
  const rows = m.rows.filter((_, i) => keep[i]);
  const out = makeMatrix(rows, m.cols);
  const r = rows.length;
  for (let j = 0; j < m.cols.length; j++) {
    let k = 0;
    for (let i = 0; i < n; i++) if (keep[i]) out.data[j * r + k++] = m.data[j * n + i] as number;
  }
  return out;
}

/** Row-major nested arrays (for CSV output and tests). */
export function toRows(m: Matrix): number[][] {
  const n = m.rows.length;
  return m.rows.map((_, i) => m.cols.map((_, j) => m.data[j * n + i] as number));
}
