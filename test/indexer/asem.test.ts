/**
 * The ASEM recipe (COINr's worked example) on all 51 units, stage by stage, with a few values worked
 * out by hand from the raw CSV numbers (explicit arithmetic here, not engine calls).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import type { IndexData } from '../../src/indexer/data.ts';
import { loadIndex } from '../../src/indexer/load.ts';
import { get } from '../../src/indexer/matrix.ts';
import { type PipelineResult, regenerate, runPipeline } from '../../src/indexer/pipeline.ts';
import type { IndexSpec } from '../../src/indexer/spec.ts';

const dir = new URL('../../recipes/asem/', import.meta.url);
type Rec = Record<string, string>;
const raw: Rec[] = parse(readFileSync(new URL('ASEM_iData.csv', dir), 'utf8'), { columns: true });
const num = (unit: string, col: string): number => {
  const r = raw.find((x) => x.uCode === unit) as Rec;
  const s = r[col] as string;
  return s === '' ? Number.NaN : Number(s);
};
const units = raw.map((r) => r.uCode as string);
const column = (col: string, den?: string) =>
  units.map((u) => (den ? num(u, col) / num(u, den) : num(u, col)));
const minOf = (v: number[]) => Math.min(...v.filter((x) => !Number.isNaN(x)));
const maxOf = (v: number[]) => Math.max(...v.filter((x) => !Number.isNaN(x)));

let spec: IndexSpec;
let data: IndexData;
let res: PipelineResult;

beforeAll(() => {
  ({ spec, data } = loadIndex(new URL('asem.yaml', dir).pathname));
  res = runPipeline(data, spec);
});

describe('ASEM recipe', () => {
  it('reads 51 units, 49 indicators, 8 pillars, 2 sub-indices and the index', () => {
    expect(res.stages.raw.rows).toHaveLength(51);
    expect(res.tree.indicators).toHaveLength(49);
    expect(res.tree.aggregates).toEqual([
      'Physical',
      'ConEcFin',
      'Political',
      'Instit',
      'P2P',
      'Conn',
      'Environ',
      'Social',
      'SusEcFin',
      'Sust',
      'Index',
    ]);
    for (const s of ['denominated', 'imputed', 'screened', 'treated', 'normalised', 'aggregated'] as const) {
      expect(res.stages[s].rows).toHaveLength(51);
    }
    expect(res.stages.aggregated.cols).toHaveLength(49 + 11);
  });

  it('denominates as iMeta says: Flights of Austria = 29.01725 / 8735.453 (population)', () => {
    expect(get(res.stages.denominated, 'AUT', 'Flights')).toBeCloseTo(29.01725 / 8735.453, 14);
    expect(get(res.stages.denominated, 'AUT', 'LPI')).toBe(4.097985); // no denominator
    expect(Object.keys(res.reports.denominators)).toHaveLength(17);
    // Lao PDR has no energy consumption: its two energy-denominated indicators become missing
    expect(get(res.stages.denominated, 'LAO', 'Elec')).toBeNaN();
  });

  it('imputes by the EurAsia_group mean: Italy (Europe) Poverty, Spain (Europe) CultServ/GDP', () => {
    const europe = raw.filter((r) => r.EurAsia_group === 'Europe').map((r) => r.uCode as string);
    const pov = europe.map((u) => num(u, 'Poverty')).filter((v) => !Number.isNaN(v));
    expect(pov).toHaveLength(europe.length - 1);
    const povMean = pov.reduce((s, v) => s + v, 0) / pov.length;
    expect(get(res.stages.imputed, 'ITA', 'Poverty')).toBeCloseTo(povMean, 12);
    const cs = europe.map((u) => num(u, 'CultServ') / num(u, 'GDP')).filter((v) => !Number.isNaN(v));
    expect(get(res.stages.imputed, 'ESP', 'CultServ')).toBeCloseTo(
      cs.reduce((s, v) => s + v, 0) / cs.length,
      12,
    );
    // the 63 empty cells plus Lao's two energy-denominated ones: all filled
    expect(res.reports.impute.cells).toHaveLength(65);
    expect(res.reports.impute.remaining).toBe(0);
  });

  it('screens at 90 % availability (counted after imputation, as COINr does): all 51 kept', () => {
    expect(res.reports.screen.filter((r) => !r.kept)).toHaveLength(0);
  });

  it('winsorises Flights/Population by one point: the highest value becomes the second highest', () => {
    const v = column('Flights', 'Population');
    const sorted = [...v].sort((a, b) => b - a);
    const top = units[v.indexOf(sorted[0] as number)] as string;
    const row = res.reports.treat.find((r) => r.indicator === 'Flights');
    expect(row?.action).toBe('winsorised');
    expect(row?.points).toBe(1);
    expect(row?.units).toEqual([top]);
    expect(get(res.stages.treated, top, 'Flights')).toBe(sorted[1]);
    expect(get(res.stages.treated, 'AUT', 'Flights')).toBe(29.01725 / 8735.453);
  });

  it('reports the treatment of every failing indicator; no log fallback is needed for ASEM', () => {
    const failed = res.reports.treat.filter((r) => r.failed).map((r) => `${r.indicator}:${r.points}`);
    expect(failed).toEqual([
      'Flights:1',
      'Bord:3',
      'Gas:3',
      'Services:4',
      'FDI:2',
      'ForPort:3',
      'CostImpEx:1',
      'Tariff:3',
      'StMob:2',
      'CultServ:3',
      'Forest:2',
      'Poverty:3',
      'NGOs:3',
      'FemLab:1',
      'PubDebt:1',
    ]);
    expect(res.reports.treat.every((r) => r.passesAfter)).toBe(true);
    expect(res.reports.treat.find((r) => r.indicator === 'FemLab')?.side).toBe('low');
  });

  it('normalises min-max to [0, 100]: LPI (positive) and CO2 (negative) of Austria', () => {
    const lpi = column('LPI');
    const x = num('AUT', 'LPI');
    expect(get(res.stages.normalised, 'AUT', 'LPI')).toBeCloseTo(
      ((x - minOf(lpi)) / (maxOf(lpi) - minOf(lpi))) * 100,
      10,
    );
    const co2 = column('CO2');
    const c = num('AUT', 'CO2');
    expect(get(res.stages.normalised, 'AUT', 'CO2')).toBeCloseTo(
      ((maxOf(co2) - c) / (maxOf(co2) - minOf(co2))) * 100,
      10,
    );
  });

  it('aggregates by arithmetic mean: the Political pillar of Austria from Embs, IGOs, UNVote', () => {
    const mm = (col: string, u: string) => {
      const v = column(col);
      return ((num(u, col) - minOf(v)) / (maxOf(v) - minOf(v))) * 100;
    };
    const expected = (mm('Embs', 'AUT') + mm('IGOs', 'AUT') + mm('UNVote', 'AUT')) / 3;
    expect(get(res.stages.aggregated, 'AUT', 'Political')).toBeCloseTo(expected, 10);
    // and the index is the mean of its two sub-indices, each the mean of its pillars
    const conn = ['Physical', 'ConEcFin', 'Political', 'Instit', 'P2P'].map((p) =>
      get(res.stages.aggregated, 'AUT', p),
    );
    expect(get(res.stages.aggregated, 'AUT', 'Conn')).toBeCloseTo(conn.reduce((s, v) => s + v, 0) / 5, 10);
    const idx = (get(res.stages.aggregated, 'AUT', 'Conn') + get(res.stages.aggregated, 'AUT', 'Sust')) / 2;
    expect(get(res.stages.aggregated, 'AUT', 'Index')).toBeCloseTo(idx, 10);
  });

  it('ranks 1 = best and the contributions of a unit sum to its score', () => {
    const i = res.units.indexOf('CHE');
    expect(res.ranks[i]).toBe(1);
    expect(res.scores[i]).toBeCloseTo(68.38, 2);
    const n = res.units.length;
    const contrib = res.contributions;
    expect(contrib).toBeDefined();
    for (let u = 0; u < n; u++) {
      let s = 0;
      for (let j = 0; j < 49; j++) s += contrib?.data[j * n + u] as number;
      expect(s).toBeCloseTo(res.scores[u] as number, 9);
    }
    expect([...res.ranks].sort((a, b) => a - b)).toEqual(Array.from({ length: 51 }, (_, k) => k + 1));
  });

  it('regenerates from the first changed step only, and gives the same index when nothing changes', () => {
    const again = regenerate(res, data, spec, { steps: { normalise: { method: 'zscore' } } });
    expect(again.log.map((l) => `${l.step}:${l.reused}`)).toEqual([
      'denominate:true',
      'impute:true',
      'screen:true',
      'treat:true',
      'normalise:false',
      'aggregate:false',
    ]);
    expect(again.stages.treated).toBe(res.stages.treated);
    expect(again.scores).not.toEqual(res.scores);
    const back = regenerate(again, data, spec, { steps: { normalise: { method: 'minmax' } } });
    expect(back.log.every((l) => l.reused || l.step === 'aggregate')).toBe(true);
    expect([...back.scores]).toEqual([...res.scores]);
  });
});
