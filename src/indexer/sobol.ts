/**
 * Sobol' low-discrepancy sequence (Bratley & Fox's Gray-code construction) with the direction numbers
 * of Joe & Kuo (2008, table `new-joe-kuo-6.21201`), dimensions 1–32: enough for a Saltelli design of
 * up to 16 factors (A and B take k dimensions each). Point 0 (all zeros) is skipped.
 */

// dimensions 2..32 as "s a m1 … ms" (dimension 1 is the van der Corput sequence)
const JOE_KUO = [
  '1 0 1',
  '2 1 1 3',
  '3 1 1 3 1',
  '3 2 1 1 1',
  '4 1 1 1 3 3',
  '4 4 1 3 5 13',
  '5 2 1 1 5 5 17',
  '5 4 1 1 5 5 5',
  '5 7 1 1 7 11 19',
  '5 11 1 1 5 1 1',
  '5 13 1 1 1 3 11',
  '5 14 1 3 5 5 31',
  '6 1 1 3 3 9 7 49',
  '6 13 1 1 1 15 21 21',
  '6 16 1 3 1 13 27 49',
  '6 19 1 1 1 15 7 5',
  '6 22 1 3 1 15 13 25',
  '6 25 1 1 5 5 19 61',
  '7 1 1 3 7 11 23 15 103',
  '7 4 1 3 7 13 13 15 69',
  '7 7 1 1 3 13 7 35 63',
  '7 8 1 3 5 9 1 25 53',
  '7 14 1 3 1 13 9 35 107',
  '7 19 1 3 1 5 27 61 31',
  '7 21 1 1 5 11 19 41 61',
  '7 28 1 3 5 3 3 13 69',
  '7 31 1 1 7 13 1 19 1',
  '7 32 1 3 7 5 13 19 59',
  '7 37 1 1 3 9 25 29 41',
  '7 41 1 3 5 13 23 1 55',
  '7 42 1 3 7 3 13 59 17',
];

export const SOBOL_MAX_DIM = JOE_KUO.length + 1;
const BITS = 32;

function directions(dim: number): Uint32Array[] {
  const v: Uint32Array[] = [];
  const first = new Uint32Array(BITS);
  for (let i = 0; i < BITS; i++) first[i] = 2 ** (31 - i);
  v.push(first);
  for (let d = 1; d < dim; d++) {
    const [s, a, ...m] = (JOE_KUO[d - 1] as string).split(' ').map(Number) as number[];
    const vd = new Uint32Array(BITS);
    const ss = s as number;
    for (let i = 0; i < Math.min(ss, BITS); i++) vd[i] = ((m[i] as number) * 2 ** (31 - i)) >>> 0;
    for (let i = ss; i < BITS; i++) {
      let x = ((vd[i - ss] as number) ^ ((vd[i - ss] as number) >>> ss)) >>> 0;
      for (let k = 1; k < ss; k++) {
        if ((((a as number) >>> (ss - 1 - k)) & 1) === 1) x = (x ^ (vd[i - k] as number)) >>> 0;
      }
      vd[i] = x;
    }
    v.push(vd);
  }
  return v;
}

/** The first n points (after the origin) of the dim-dimensional Sobol' sequence, row-major n × dim. */
export function sobolPoints(n: number, dim: number): Float64Array {
  if (dim > SOBOL_MAX_DIM) throw new RangeError(`Sobol' sequence supports up to ${SOBOL_MAX_DIM} dimensions`);
  const v = directions(dim);
  const x = new Uint32Array(dim);
  const out = new Float64Array(n * dim);
  for (let i = 0; i < n; i++) {
    // Gray code: flip the direction number of the lowest zero bit of i
    let c = 0;
    let value = i;
    while (value & 1) {
      value >>>= 1;
      c++;
    }
    for (let d = 0; d < dim; d++) {
      x[d] = ((x[d] as number) ^ ((v[d] as Uint32Array)[c] as number)) >>> 0;
      out[i * dim + d] = (x[d] as number) / 4294967296;
    }
  }
  return out;
}
