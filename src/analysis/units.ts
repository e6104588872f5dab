/**
 * What kind of quantity an indicator is, from the unit declared in data/indicators.csv. Counts
 * (unit `number` or `persons`: subscriptions, people) are not comparable across countries of
 * different size, so averaging them over a group (a simple mean of subscription counts) answers no
 * useful question: a group figure for a count is a ratio of sums to a population (per 100 people),
 * methodology 3.2. The same rule decides what the web site shows for groups.
 */
import type { Store } from '../store/store.ts';
import { seriesKey } from './series.ts';

const COUNT_UNITS = new Set(['number', 'persons', 'people', 'count']);

export function isCountUnit(unit: string | null | undefined): boolean {
  const u = (unit ?? '').trim().toLowerCase();
  return COUNT_UNITS.has(u) || /^number of\b/.test(u);
}

export interface IndicatorUnit {
  /** The code asked for. */
  asked: string;
  /** The stored indicator it resolves to (breakdown aliases followed). */
  code: string;
  unit: string | null;
}

/** Units of the indicators (unknown codes are the usual not-found error). */
export async function indicatorUnits(store: Store, codes: readonly string[]): Promise<IndicatorUnit[]> {
  const out: IndicatorUnit[] = [];
  for (const asked of codes) {
    const { code } = await seriesKey(store, asked);
    const unit =
      (await store.db.value<string | null>('SELECT unit FROM indicators WHERE code = ?', [code])) ?? null;
    out.push({ asked, code, unit });
  }
  return out;
}
