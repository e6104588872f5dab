/**
 * Eigen-decomposition of a real symmetric matrix by the cyclic Jacobi method (rotations zero the
 * off-diagonal entries one at a time; converges quadratically). Eigenvalues are returned in decreasing
 * order with unit eigenvectors as columns (sign fixed so that the largest-magnitude entry is positive).
 */
export interface Eigen {
  values: Float64Array;
  /** vectors[i][k] = component i of eigenvector k. */
  vectors: number[][];
}

export function symmetricEigen(input: readonly (readonly number[])[], tol = 1e-14, maxSweeps = 100): Eigen {
  const n = input.length;
  const a = input.map((r) => Float64Array.from(r));
  const v = Array.from({ length: n }, (_, i) => {
    const r = new Float64Array(n);
    r[i] = 1;
    return r;
  });
  const A = (i: number, j: number) => (a[i] as Float64Array)[j] as number;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < n; i++) {
      diag += A(i, i) * A(i, i);
      for (let j = i + 1; j < n; j++) off += A(i, j) * A(i, j);
    }
    if (off <= tol * tol * Math.max(diag, 1e-300)) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A(p, q);
        if (apq === 0) continue;
        const theta = (A(q, q) - A(p, p)) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = A(k, p);
          const akq = A(k, q);
          (a[k] as Float64Array)[p] = c * akp - s * akq;
          (a[k] as Float64Array)[q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = A(p, k);
          const aqk = A(q, k);
          (a[p] as Float64Array)[k] = c * apk - s * aqk;
          (a[q] as Float64Array)[k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = (v[k] as Float64Array)[p] as number;
          const vkq = (v[k] as Float64Array)[q] as number;
          (v[k] as Float64Array)[p] = c * vkp - s * vkq;
          (v[k] as Float64Array)[q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => A(y, y) - A(x, x));
  const values = Float64Array.from(order, (k) => A(k, k));
  const vectors = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  order.forEach((k, col) => {
    let big = 0;
    for (let i = 0; i < n; i++) {
      const x = (v[i] as Float64Array)[k] as number;
      if (Math.abs(x) > Math.abs(big)) big = x;
    }
    const sgn = big < 0 ? -1 : 1;
    for (let i = 0; i < n; i++) (vectors[i] as number[])[col] = sgn * ((v[i] as Float64Array)[k] as number);
  });
  return { values, vectors };
}
