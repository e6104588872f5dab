/** COINr-style inputs: a panel iData (several Time values), loader errors with file, line and field. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dataFromCoinr } from '../../src/indexer/coinr.ts';
import { loadIndex } from '../../src/indexer/load.ts';
import { get } from '../../src/indexer/matrix.ts';
import { runPipeline } from '../../src/indexer/pipeline.ts';

const dir = mkdtempSync(join(tmpdir(), 'pontis-inputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const meta = `Level,iCode,iName,Direction,Weight,Unit,Target,Denominator,Parent,Type
1,a,A,1,1,,,,I,Indicator
1,b,B,-1,1,,,,I,Indicator
2,I,Index,1,1,,,,,Aggregate
`;
const panel = `uCode,uName,Time,a,b
X,Ex,2019,1,5
X,Ex,2020,,6
Y,Why,2019,3,
Y,Why,2020,4,
Z,Zed,2020,2,7
`;

describe('COINr panel input and nearest-year imputation', () => {
  it('builds a units × indicators × years panel from a Time column', () => {
    const rows = panel
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => {
        const [uCode, uName, Time, a, b] = l.split(',');
        return { uCode, uName, Time, a, b };
      });
    const d = dataFromCoinr(rows, { columns: ['a', 'b'], name: 'uName' });
    expect(d.panel?.years).toEqual([2019, 2020]);
    expect(d.values.rows).toEqual(['X', 'Y', 'Z']);
    expect(get(d.values, 'X', 'b')).toBe(6); // the latest year by default
    expect(get(d.panel?.slices[0] as typeof d.values, 'X', 'a')).toBe(1);
    expect(d.names).toEqual(['Ex', 'Why', 'Zed']);
  });

  it('fills X.a from 2019 and leaves Y.b missing (no year has it); aggregation skips it', () => {
    writeFileSync(join(dir, 'meta.csv'), meta);
    writeFileSync(join(dir, 'data.csv'), panel);
    writeFileSync(
      join(dir, 'spec.yaml'),
      'name: p\nunits: {id: uCode, name: uName}\ninputs: {data: data.csv, meta: meta.csv}\nsteps:\n  impute: {method: nearest-year, window: 1}\n',
    );
    const { spec, data } = loadIndex(join(dir, 'spec.yaml'), { year: 2020 });
    const r = runPipeline(data, spec);
    expect(get(r.stages.imputed, 'X', 'a')).toBe(1);
    expect(r.reports.impute.cells).toEqual([{ unit: 'X', indicator: 'a', value: 1, from: 2019 }]);
    expect(get(r.stages.imputed, 'Y', 'b')).toBeNaN();
    // 2020 after imputation: a = X 1, Y 4, Z 2 → min-max 0, 100, 33.3; b (negative) = X 6, Z 7 → 100, 0
    expect(get(r.stages.aggregated, 'Y', 'I')).toBeCloseTo(100, 12); // only a available
    expect(get(r.stages.aggregated, 'X', 'I')).toBeCloseTo(50, 12);
    expect(get(r.stages.aggregated, 'Z', 'I')).toBeCloseTo(100 / 6, 12);
  });

  it('names the file, line and column of a bad number', () => {
    writeFileSync(join(dir, 'bad.csv'), 'uCode,uName,Time,a,b\nX,Ex,2020,1,oops\n');
    writeFileSync(join(dir, 'bad.yaml'), 'name: p\ninputs: {data: bad.csv, meta: meta.csv}\n');
    expect(() => loadIndex(join(dir, 'bad.yaml'))).toThrow(
      expect.objectContaining({ location: { file: join(dir, 'bad.csv'), line: 2, field: 'b' } }),
    );
  });
});
