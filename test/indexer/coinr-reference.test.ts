/**
 * Pontis against numbers published by COINr itself: the outputs printed in COINr's pkgdown articles
 * (github.com/bluefoxr/COINr, docs/articles/results.html at 27360eaf, docs/articles/treat.html at
 * 36f2e902; COINr 1.0.0.9000), on the same ASEM inputs. Only printed outputs are used, no COINr code.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { loadIndex } from '../../src/indexer/load.ts';
import { fromRows, get } from '../../src/indexer/matrix.ts';
import { kurtosis, skewness } from '../../src/indexer/moments.ts';
import { runPipeline } from '../../src/indexer/pipeline.ts';
import { treat } from '../../src/indexer/treat.ts';
import { winsorise } from '../../src/indexer/winsorise.ts';

const dir = new URL('../../recipes/asem/', import.meta.url);

describe('ASEM index as printed by COINr (results.html: get_results(build_example_coin(), "Aggregated", tab_type = "Aggs"))', () => {
  // #>   uCode Rank Index  Conn  Sust Physical ConEcFin Political Instit   P2P Environ Social SusEcFin
  const published: [string, number, ...number[]][] = [
    ['CHE', 1, 68.38, 62.79, 73.98, 63.41, 32.87, 74.78, 85.94, 56.93, 77.21, 87.85, 56.88],
    ['NLD', 2, 64.82, 61.94, 67.7, 64.87, 46.62, 84.55, 71.74, 41.92, 58.73, 86.58, 57.78],
    ['DNK', 3, 64.8, 57.1, 72.51, 50.52, 30.43, 78.13, 75.35, 51.04, 69.83, 86.4, 61.29],
    ['NOR', 4, 64.47, 57.44, 71.5, 58.18, 25.7, 80.03, 89.46, 33.8, 70.9, 87.0, 56.59],
    ['BEL', 5, 63.54, 63.99, 63.09, 71.97, 48.22, 80.84, 75.6, 43.32, 53.01, 86.17, 50.09],
    ['SWE', 6, 63.0, 53.87, 72.12, 51.51, 23.87, 80.98, 74.51, 38.5, 66.37, 87.74, 62.27],
  ];
  const cols = [
    'Index',
    'Conn',
    'Sust',
    'Physical',
    'ConEcFin',
    'Political',
    'Instit',
    'P2P',
    'Environ',
    'Social',
    'SusEcFin',
  ];
  it('matches all 66 printed scores to 2 decimals, and the ranks', () => {
    const { spec, data } = loadIndex(new URL('asem.yaml', dir).pathname);
    const r = runPipeline(data, spec);
    for (const [unit, rank, ...scores] of published) {
      expect(r.ranks[r.units.indexOf(unit)]).toBe(rank);
      cols.forEach((c, j) => {
        expect(Math.abs(get(r.stages.aggregated, unit, c) - (scores[j] as number))).toBeLessThanOrEqual(
          0.005 + 1e-9,
        );
      });
    }
  });
});

describe('outlier treatment as printed by COINr (treat.html)', () => {
  it('x = c(1:10, 30, 100): fails (3.063241, 9.741391); one point winsorised → skew 1.712038, kurt 1.815781', () => {
    const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 100];
    expect(skewness(x)).toBeCloseTo(3.063241, 6);
    expect(kurtosis(x)).toBeCloseTo(9.741391, 6);
    const w = winsorise(x, { winmax: 5 });
    expect(w.changed).toEqual([11]);
    expect(skewness(w.x)).toBeCloseTo(1.712038, 6);
    expect(kurtosis(w.x)).toBeCloseTo(1.815781, 6);
  });

  it('Treat() on raw ASEM columns: skew, kurtosis and points winsorised per indicator', () => {
    type Rec = Record<string, string>;
    const raw: Rec[] = parse(readFileSync(new URL('ASEM_iData.csv', dir), 'utf8'), { columns: true });
    // #> iCode  Pass0  Skew0  Kurt0  nwin  Pass1  Skew1  Kurt1
    const published: [string, boolean, number, number, number | null, number | null, number | null][] = [
      ['LPI', true, -0.3042681, -0.6567514, null, null, null],
      ['Flights', false, 2.1032872, 4.5088794, 1, 1.900658, 3.336065],
      ['Ship', true, -0.575668, -0.6814795, null, null, null],
      ['Bord', false, 2.148236, 5.7914905, 1, 1.899211, 4.346298],
      ['Elec', false, 2.2252736, 5.7910268, 1, 1.717744, 2.586062],
      ['Gas', false, 2.8294486, 10.3346494, 1, 1.602518, 1.525576],
      ['Goods', false, 2.649973, 8.26661, 2, 1.140608, 0.1572047],
      ['Services', true, 1.701085, 2.375656, null, null, null],
    ];
    const codes = published.map((p) => p[0]);
    const m = fromRows(
      raw.map((r) => r.uCode as string),
      codes,
      raw.map((r) => codes.map((c) => (r[c] === '' ? Number.NaN : Number(r[c])))),
    );
    const { report } = treat(m, { method: 'winsorise-log', winmax: 5 });
    published.forEach(([code, pass0, sk0, kt0, nwin, sk1, kt1], j) => {
      const row = report[j];
      expect(row?.indicator).toBe(code);
      expect(row?.failed).toBe(!pass0);
      expect(row?.skew).toBeCloseTo(sk0, 6);
      expect(row?.kurt).toBeCloseTo(kt0, 6);
      if (nwin === null) {
        expect(row?.action).toBe('none');
      } else {
        expect(row?.action).toBe('winsorised');
        expect(row?.points).toBe(nwin);
        expect(row?.skewAfter).toBeCloseTo(sk1 as number, 5);
        expect(row?.kurtAfter).toBeCloseTo(kt1 as number, 5);
      }
    });
  });
});
