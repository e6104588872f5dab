/**
 * Urban/rural gap, built the same way as the ITU gender gap with urban as the reference:
 *
 *   gap        = (rate_urban − rate_rural) / rate_urban
 *   difference = rate_urban − rate_rural          (percentage points for rates in %)
 *   ratio      = rate_urban / rate_rural          (ITU reports "x times as high in urban areas")
 *   parity     = rate_rural / rate_urban          (parity score, band 0.98–1.02 as for gender)
 *
 * Group versions use group rates from counts (paired-rates.ts), over countries with both areas.
 */
import { invalid } from '../core/errors.ts';
import type { CoverageRule } from './coverage.ts';
import { requireFinite } from './guards.ts';
import { groupPairedRates } from './paired-rates.ts';
import type { StatResult } from './result.ts';

export interface AreaGap {
  urban: number;
  rural: number;
  gap: number;
  difference: number;
  /** null when the rural rate is 0. */
  ratio: number | null;
  parity: number;
}

export function areaGap(urban: number, rural: number): AreaGap {
  requireFinite(urban, 'urban');
  requireFinite(rural, 'rural');
  if (urban <= 0) throw invalid(`the urban rate must be greater than 0, got ${urban}`, { field: 'urban' });
  return {
    urban,
    rural,
    gap: (urban - rural) / urban,
    difference: urban - rural,
    ratio: rural > 0 ? urban / rural : null,
    parity: rural / urban,
  };
}

export interface AreaRow {
  geo: string;
  urban?: number | null;
  rural?: number | null;
  urbanPop?: number | null;
  ruralPop?: number | null;
  weight?: number | null;
  filled?: boolean;
}

export interface AreaInput {
  group: string;
  year?: number;
  members: readonly string[];
  rows: readonly AreaRow[];
}

export function groupAreaGap(
  input: AreaInput,
  rule: Partial<CoverageRule> = {},
): StatResult<AreaGap & { n: number }> {
  const res = groupPairedRates(
    {
      group: input.group,
      ...(input.year !== undefined ? { year: input.year } : {}),
      members: input.members,
      rows: input.rows.map((r) => ({
        geo: r.geo,
        rateA: r.urban,
        rateB: r.rural,
        popA: r.urbanPop,
        popB: r.ruralPop,
        weight: r.weight,
        filled: r.filled,
      })),
    },
    { a: 'urban', b: 'rural' },
    rule,
    {
      name: 'group-urban-rural-gap',
      formula:
        'rate_a = Σ rate_a,i·pop_a,i / Σ pop_a,i over countries with both areas; gap = (rate_U − rate_R) / rate_U',
      source: 'Pontis, by analogy with the ITU gender gap (Facts and Figures 2019)',
    },
  );
  if (res.status === 'withheld') return res;
  if (res.value.rateA <= 0) {
    return {
      status: 'withheld',
      reason: 'the group urban rate is 0: no gap can be computed',
      method: res.method,
      coverage: res.coverage,
    };
  }
  return {
    status: 'ok',
    value: { ...areaGap(res.value.rateA, res.value.rateB), n: res.value.n },
    method: res.method,
    coverage: res.coverage,
  };
}
