import { describe, expect, it } from 'vitest';
import {
  aggregate,
  areaGap,
  gapBetween,
  genderGap,
  genderParityScore,
  groupAreaGap,
  groupGap,
  groupGender,
  parityStatus,
} from '../../src/stats/index.ts';
import { expectPontisError } from './helpers.ts';

describe('ITU gender gap and parity score for a country', () => {
  it('male 60%, female 45%: gap (60 − 45)/60 = 0.25; parity 45/60 = 0.75', () => {
    expect(genderGap(60, 45)).toBe(0.25);
    expect(genderParityScore(45, 60)).toBe(0.75);
  });

  it("reproduces ITU's 2019 world gap from its rounded rates: 58% of men, 48% of women → (58 − 48)/58 = 17.2% ≈ 17%", () => {
    const g = genderGap(58, 48);
    expect(g).toBeCloseTo(10 / 58, 15);
    expect(Math.round(100 * g)).toBe(17);
  });

  it('a negative gap means women ahead: male 40, female 50 → −0.25', () => {
    expect(genderGap(40, 50)).toBe(-0.25);
  });

  it('parity band 0.98–1.02 is inclusive', () => {
    expect(parityStatus(0.98)).toBe('parity');
    expect(parityStatus(1.02)).toBe('parity');
    expect(parityStatus(0.9799)).toBe('favours-reference');
    expect(parityStatus(1.0201)).toBe('favours-other');
  });

  it('a zero male rate is an error, not Infinity or NaN', () => {
    expectPontisError(() => genderGap(0, 10), 'invalid_input', 'male');
    expectPontisError(() => genderParityScore(10, 0), 'invalid_input', 'male');
    expectPontisError(() => genderGap(Number.NaN, 10), 'invalid_input', 'male');
  });
});

describe('group gender gap from counts', () => {
  // A: male 80% of 10 men, female 60% of 10 women; B: male 20% of 30, female 10% of 30;
  // C: no sex-disaggregated data, 40 people.
  //   male   = (80·10 + 20·30)/(10 + 30) = 1400/40 = 35
  //   female = (60·10 + 10·30)/(10 + 30) =  900/40 = 22.5
  //   gap = (35 − 22.5)/35 = 0.357142857…; parity = 22.5/35 = 0.642857…
  //   coverage: A 20 + B 60 = 80 of 120 people = 2/3
  // (The mean of the country gaps, (0.25 + 0.5)/2 = 0.375, is not the group gap.)
  const rows = [
    { geo: 'A', male: 80, female: 60, malePop: 10, femalePop: 10 },
    { geo: 'B', male: 20, female: 10, malePop: 30, femalePop: 30 },
    { geo: 'C', weight: 40 },
  ];

  it('rates, gap, parity and the share of the population with sex-disaggregated data', () => {
    const r = groupGender({ group: 'g', year: 2019, members: ['A', 'B', 'C'], rows });
    if (r.status !== 'ok') throw new Error(r.reason);
    expect(r.value.male).toBe(35);
    expect(r.value.female).toBe(22.5);
    expect(r.value.gap).toBeCloseTo(12.5 / 35, 15);
    expect(r.value.parity).toBeCloseTo(22.5 / 35, 15);
    expect(r.value.n).toBe(2);
    expect(r.coverage.weightShare).toBeCloseTo(2 / 3, 15);
    expect(r.method.name).toBe('group-gender-gap');
  });

  it('male and female rates use their own populations: women ahead gives a negative gap', () => {
    // A: male 80 of 10 men, female 60 of 30 women; B: male 20 of 30, female 10 of 10.
    //   male = (800 + 600)/40 = 35; female = (60·30 + 10·10)/40 = 1900/40 = 47.5; gap = −12.5/35
    const r = groupGender({
      group: 'g',
      members: ['A', 'B'],
      rows: [
        { geo: 'A', male: 80, female: 60, malePop: 10, femalePop: 30 },
        { geo: 'B', male: 20, female: 10, malePop: 30, femalePop: 10 },
      ],
    });
    if (r.status !== 'ok') throw new Error(r.reason);
    expect(r.value.female).toBe(47.5);
    expect(r.value.gap).toBeCloseTo(-12.5 / 35, 15);
  });

  it('a country with only one sex does not enter either rate', () => {
    const r = groupGender({
      group: 'g',
      members: ['A', 'B', 'D'],
      rows: [...rows.slice(0, 2), { geo: 'D', male: 99, malePop: 1, femalePop: 1 }],
    });
    if (r.status !== 'ok') throw new Error(r.reason);
    expect(r.value.male).toBe(35);
    expect(r.coverage.withData).toBe(2);
  });

  it('withheld when the countries with data hold too little of the population (80 of 280 = 28.6%)', () => {
    const r = groupGender({
      group: 'ldc',
      members: ['A', 'B', 'C'],
      rows: [...rows.slice(0, 2), { geo: 'C', weight: 200 }],
    });
    expect(r.status).toBe('withheld');
    expect(r.status === 'withheld' && r.reason).toMatch(/28\.6%/);
    expect(r.coverage.weightShare).toBeCloseTo(80 / 280, 15);
    // Shown, with the same coverage, when the caller lowers the threshold explicitly.
    const shown = groupGender(
      { group: 'ldc', members: ['A', 'B', 'C'], rows: [...rows.slice(0, 2), { geo: 'C', weight: 200 }] },
      { minWeightShare: 0 },
    );
    expect(shown.status === 'ok' && shown.value.gap).toBeCloseTo(12.5 / 35, 15);
  });

  it('an empty group and a negative population are errors', () => {
    expectPontisError(
      () => groupGender({ group: 'none', year: 2019, members: [], rows: [] }),
      'invalid_input',
      'group',
    );
    expectPontisError(
      () =>
        groupGender({
          group: 'g',
          members: ['A'],
          rows: [{ geo: 'A', male: 1, female: 1, malePop: -1, femalePop: 1 }],
        }),
      'invalid_input',
      'popA',
    );
  });
});

describe('urban/rural gap', () => {
  it('urban 80%, rural 40%: gap 0.5, difference 40 points, ratio 2 (twice as high in urban areas), parity 0.5', () => {
    expect(areaGap(80, 40)).toEqual({
      urban: 80,
      rural: 40,
      gap: 0.5,
      difference: 40,
      ratio: 2,
      parity: 0.5,
    });
    expect(areaGap(50, 0).ratio).toBeNull();
    expectPontisError(() => areaGap(0, 10), 'invalid_input', 'urban');
  });

  it('group rates from counts: urban (90·100 + 60·100)/200 = 75, rural (50·300 + 20·100)/400 = 42.5', () => {
    const r = groupAreaGap({
      group: 'g',
      members: ['A', 'B'],
      rows: [
        { geo: 'A', urban: 90, rural: 50, urbanPop: 100, ruralPop: 300 },
        { geo: 'B', urban: 60, rural: 20, urbanPop: 100, ruralPop: 100 },
      ],
    });
    if (r.status !== 'ok') throw new Error(r.reason);
    expect(r.value.urban).toBe(75);
    expect(r.value.rural).toBe(42.5);
    expect(r.value.gap).toBeCloseTo(32.5 / 75, 15);
    expect(r.coverage.weightShare).toBe(1);
  });
});

describe('gap between two groups', () => {
  it('developed 122 vs LDC 33 per 100: difference 89, ratio 122/33 = 3.697, relative 89/122 = 0.7295', () => {
    expect(gapBetween(122, 33)).toEqual({
      a: 122,
      b: 33,
      difference: 89,
      ratio: 122 / 33,
      relative: 89 / 122,
    });
    expect(gapBetween(0, 0)).toEqual({ a: 0, b: 0, difference: 0, ratio: null, relative: null });
  });

  it('works on aggregate results and carries a withheld reason through', () => {
    const mk = (num: number, den: number, pop: number) =>
      aggregate(
        {
          group: 'x',
          members: ['A', 'B'],
          rows: [
            { geo: 'A', numerator: num, denominator: den },
            { geo: 'B', weight: pop },
          ],
        },
        { method: 'ratio', scale: 100 },
      );
    const dev = mk(122, 100, 10); // 122 per 100, coverage 100/110
    const ldc = mk(33, 100, 10); // 33 per 100
    const g = groupGap({ group: 'DEVELOPED', result: dev }, { group: 'LDC', result: ldc });
    expect(g.status === 'ok' && g.value.difference).toBeCloseTo(89, 12);
    const thin = mk(33, 100, 1000); // 100 of 1100 people covered → withheld
    const w = groupGap({ group: 'DEVELOPED', result: dev }, { group: 'LDC', result: thin });
    expect(w.status).toBe('withheld');
    expect(w.status === 'withheld' && w.reason).toMatch(/^LDC: countries with data hold 9\.1%/);
    expectPontisError(
      () => groupGap({ group: 'LDC', result: dev }, { group: 'LDC', result: ldc }),
      'invalid_input',
      'groups',
    );
  });
});
