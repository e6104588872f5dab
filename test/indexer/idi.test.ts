/** The ITU IDI recipe: structure, the refusal while goalposts are missing, and the computation mechanics. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PontisError } from '../../src/core/errors.ts';
import { loadSpecFile } from '../../src/indexer/load.ts';
import { get } from '../../src/indexer/matrix.ts';
import { dataFromObservations, sourceColumns } from '../../src/indexer/observations.ts';
import { runPipeline } from '../../src/indexer/pipeline.ts';
import { validateSpec } from '../../src/indexer/spec.ts';
import { compileTree } from '../../src/indexer/tree.ts';

const file = new URL('../../recipes/itu-idi/idi.yaml', import.meta.url).pathname;

describe('ITU IDI recipe', () => {
  it('is refused, naming the first indicator without goalposts, until ITU goalposts are filled in', () => {
    let err: unknown;
    try {
      loadSpecFile(file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PontisError);
    expect((err as PontisError).location.field).toBe('spec.tree[9].goalposts');
    expect((err as PontisError).message).toMatch(
      /goalposts on every indicator; missing for i136mwi_subs_IDI, i135tfb_subs_IDI, i271mb_high_ts_GNI_IDI, i154_FBB_ts_GNI_IDI$/,
    );
  });

  // Goalposts below for the four unfilled indicators are TEST VALUES ONLY (round numbers chosen for
  // hand arithmetic), not ITU's: they let the mechanics be checked.
  const testGoalposts: Record<string, [number, number]> = {
    i136mwi_subs_IDI: [0, 20],
    i135tfb_subs_IDI: [0, 200],
    i271mb_high_ts_GNI_IDI: [0, 10],
    i154_FBB_ts_GNI_IDI: [0, 10],
  };
  const recipe = parse(readFileSync(file, 'utf8')) as {
    tree: { code: string; goalposts?: [number, number] }[];
  };
  for (const n of recipe.tree) if (testGoalposts[n.code]) n.goalposts = testGoalposts[n.code];
  const raw = validateSpec(recipe, file);

  it('has 10 indicators in two pillars, with 3G and 4G in a coverage component', () => {
    const t = compileTree(raw);
    expect(t.indicators).toHaveLength(10);
    expect(t.aggregates).toEqual(['U', 'Coverage', 'M', 'IDI']);
    expect(
      sourceColumns(raw)
        .filter((c) => c.source !== c.column)
        .map((c) => c.source),
    ).toEqual(['IT.NET.USER.ZS', 'i271mw', 'IT_MOB_3GNTWK', 'IT_MOB_4GNTWK', 'i154_FBB5_GNI', 'IT_MOB_OWN']);
  });

  it('computes from store-like observations: goalposts with truncation, missing indicators skipped', () => {
    const obs = [
      { indicator: 'IT.NET.USER.ZS', geo: 'AAA', year: 2022, value: 80 },
      { indicator: 'i271mw', geo: 'AAA', year: 2022, value: 1_200_000 },
      { indicator: 'SP.POP.TOTL', geo: 'AAA', year: 2022, value: 1_000_000 },
      { indicator: 'IT_MOB_3GNTWK', geo: 'AAA', year: 2022, value: 90 },
      { indicator: 'IT_MOB_4GNTWK', geo: 'AAA', year: 2022, value: 70 },
      { indicator: 'i154_FBB5_GNI', geo: 'AAA', year: 2022, value: 2.5 },
      { indicator: 'IT_MOB_OWN', geo: 'AAA', year: 2022, value: 60 },
      { indicator: 'IT.NET.USER.ZS', geo: 'AAA', year: 2021, value: 75 }, // other year: ignored
    ];
    const data = dataFromObservations(obs, raw, { year: 2022 });
    const r = runPipeline(data, raw);
    // mobile broadband: 1.2 M / 1 M · 100 = 120 per 100 → truncated at the goalpost 100
    expect(get(r.stages.denominated, 'AAA', 'i911mw_IDI')).toBeCloseTo(120, 12);
    expect(get(r.stages.normalised, 'AAA', 'i911mw_IDI')).toBe(100);
    // price 2.5 % on [0, 10] reversed: (10 − 2.5)/10 · 100 = 75
    expect(get(r.stages.normalised, 'AAA', 'i154_FBB_ts_GNI_IDI')).toBeCloseTo(75, 12);
    // U = mean(80, 100) (households missing); Coverage = mean(90, 70) = 80;
    // M = mean(80, 75, 60) (traffic and mobile basket missing); IDI = mean(U, M)
    const U = (80 + 100) / 2;
    const M = (80 + 75 + 60) / 3;
    expect(get(r.stages.aggregated, 'AAA', 'U')).toBeCloseTo(U, 12);
    expect(get(r.stages.aggregated, 'AAA', 'M')).toBeCloseTo(M, 12);
    expect(r.scores[0]).toBeCloseTo((U + M) / 2, 12);
  });
});
