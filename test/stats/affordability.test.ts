import { describe, expect, it } from 'vitest';
import {
  affordabilityMedians,
  groupAffordability,
  meetsAffordabilityTarget,
  priceShareOfGni,
} from '../../src/stats/index.ts';
import { expectPontisError } from './helpers.ts';

describe('price as % of monthly GNI per capita', () => {
  it('US$5 a month with GNI p.c. US$3,000 a year: 5 × 12 / 3000 × 100 = 2.0%, which does not meet "< 2%"', () => {
    expect(priceShareOfGni(5, 3000)).toBeCloseTo(2, 12);
    expect(meetsAffordabilityTarget(2)).toBe(false);
    expect(priceShareOfGni(4, 3000)).toBeCloseTo(1.6, 12);
    expect(meetsAffordabilityTarget(1.6)).toBe(true);
  });

  it('a zero or missing GNI is an error, not Infinity', () => {
    expectPontisError(() => priceShareOfGni(5, 0), 'invalid_input', 'gniPerCapita');
    expectPontisError(() => priceShareOfGni(-1, 100), 'invalid_input', 'price');
  });
});

describe('share of countries and of people meeting the 2% target, per group', () => {
  // A: 5 × 12 / 3000 × 100 = 2.0% (pop 100)  → not below 2
  // B: given share 1.0%          (pop 300)  → meets
  // C: 10 × 12 / 1200 × 100 = 10% (pop 100)  → not
  // D: no price                  (pop 500)
  // Countries: 1 of 3 meet; people: 300 of 500 = 0.6; median of 1, 2, 10 = 2.
  // Coverage: 500 of 1000 people = 0.5 (shown: withheld only below 0.5).
  const rows = [
    { geo: 'A', price: 5, gniPerCapita: 3000, population: 100 },
    { geo: 'B', share: 1, population: 300 },
    { geo: 'C', price: 10, gniPerCapita: 1200, population: 100 },
    { geo: 'D', population: 500 },
  ];

  it('hand-worked group', () => {
    const r = groupAffordability({ group: 'DEVELOPING', year: 2023, members: ['A', 'B', 'C', 'D'], rows });
    if (r.status !== 'ok') throw new Error(r.reason);
    expect(r.value.countries).toBe(3);
    expect(r.value.countriesMeeting).toBe(1);
    expect(r.value.shareOfCountries).toBeCloseTo(1 / 3, 15);
    expect(r.value.shareOfPeople).toBe(0.6);
    expect(r.value.median).toBeCloseTo(2, 12);
    expect(r.coverage.weightShare).toBe(0.5);
  });

  it('a different threshold (Connect 2020: 5%) changes who meets it', () => {
    const r = groupAffordability({ group: 'g', members: ['A', 'B', 'C', 'D'], rows }, { threshold: 5 });
    expect(r.status === 'ok' && r.value.countriesMeeting).toBe(2);
  });

  it('medians by income group: low = {A 2%, C 10%} → (2 + 10)/2 = 6 (even n); high = {B} → 1', () => {
    const m = affordabilityMedians(rows, { WB_L: ['A', 'C'], WB_H: ['B'] }, { rule: { minWeightShare: 0 } });
    expect(Object.keys(m)).toEqual(['WB_H', 'WB_L']);
    expect(m.WB_L?.status === 'ok' && m.WB_L.value.median).toBeCloseTo(6, 12);
    expect(m.WB_H?.status === 'ok' && m.WB_H.value.median).toBe(1);
  });

  it('withheld when priced countries hold under half the people; empty group is an error', () => {
    const r = groupAffordability({ group: 'g', members: ['A', 'D'], rows: [rows[0]!, rows[3]!] });
    expect(r.status).toBe('withheld');
    expectPontisError(
      () => groupAffordability({ group: 'LDC', members: [], rows: [] }),
      'invalid_input',
      'group',
    );
  });
});
