import type { RawObservation } from '../core/observation.ts';

/**
 * How SDMX component ids map to Pontis observation fields; shared by the SDMX-JSON and SDMX-CSV
 * readers. Ids are compared upper-cased (Eurostat writes `geo`, `freq`, `unit`).
 *  - REF_AREA (or GEO, Eurostat; COUNTRY; LOCATION, OECD .Stat; or a BIS-style *_REP_CTY reporting
 *    country) → geo
 *  - TIME_PERIOD → period
 *  - SEX, URBANISATION, AGE, INCOME_WEALTH_QUANTILE → sex, area, age, quintile
 *  - INDICATOR or SERIES → indicator (else the dataflow id)
 *  - OBS_STATUS (or Eurostat's OBS_FLAG, or the SDG NATURE) → flags; "A" (normal value) is no flag
 *  - UNIT_MEASURE → unit (else Eurostat's `unit` dimension, which also stays in the breakdown:
 *    it distinguishes series)
 *  - every other dimension except FREQ → breakdown; attributes other than the above are dropped.
 * Values are kept as published: UNIT_MULT is not applied (a value in thousands stays in thousands;
 * the unit multiplier belongs to the indicator's metadata).
 */

const GEO_IDS = ['REF_AREA', 'GEO', 'COUNTRY', 'LOCATION'];
const TIME_IDS = ['TIME_PERIOD', 'TIME'];
const INDICATOR_IDS = ['INDICATOR', 'SERIES'];
const FLAG_IDS = ['OBS_STATUS', 'OBS_FLAG', 'NATURE'];
const DIMS: Record<string, 'sex' | 'area' | 'age' | 'quintile'> = {
  SEX: 'sex',
  URBANISATION: 'area',
  AGE: 'age',
  INCOME_WEALTH_QUANTILE: 'quintile',
};
const NOT_BREAKDOWN = new Set([
  'FREQ',
  'UNIT_MEASURE',
  ...GEO_IDS,
  ...TIME_IDS,
  ...INDICATOR_IDS,
  ...Object.keys(DIMS),
]);

/** Which of the (upper-cased) dimension ids carries the geography. */
export function geoDimension(ids: string[]): string | undefined {
  return GEO_IDS.find((g) => ids.includes(g)) ?? ids.find((d) => d.endsWith('_REP_CTY'));
}

/** Which of the (upper-cased) ids is the time dimension. */
export function timeDimension(ids: string[]): string | undefined {
  return TIME_IDS.find((t) => ids.includes(t));
}

export interface SdmxMapping {
  /** Dimension ids, upper-cased, in key order (TIME_PERIOD included). */
  dimensions: string[];
  /** Dataflow id, the indicator when there is no INDICATOR or SERIES dimension. */
  dataflow: string;
}

/**
 * Build a RawObservation from one observation's component values: `values` maps upper-cased
 * dimension and attribute ids to their values ('' when unset).
 */
export function toObservation(
  line: number,
  value: string,
  mapping: SdmxMapping,
  values: Map<string, string>,
): RawObservation {
  const geoId = geoDimension(mapping.dimensions);
  const timeId = timeDimension(mapping.dimensions);
  let indicator = '';
  for (const i of INDICATOR_IDS) {
    indicator = values.get(i) ?? '';
    if (indicator) break;
  }
  const obs: RawObservation = {
    line,
    indicator: indicator || mapping.dataflow,
    geo: geoId === undefined ? '' : (values.get(geoId) ?? ''),
    period: timeId === undefined ? '' : (values.get(timeId) ?? ''),
    value,
  };
  for (const [concept, field] of Object.entries(DIMS)) {
    const v = values.get(concept);
    if (v) obs[field] = v;
  }
  for (const d of mapping.dimensions) {
    if (NOT_BREAKDOWN.has(d) || d === geoId) continue;
    const v = values.get(d);
    if (!v) continue;
    obs.breakdown ??= {};
    obs.breakdown[d] = v;
  }
  for (const f of FLAG_IDS) {
    const v = values.get(f);
    if (v) {
      if (v !== 'A') obs.flags = v;
      break;
    }
  }
  const unit = values.get('UNIT_MEASURE') || values.get('UNIT');
  if (unit) obs.unit = unit;
  return obs;
}

/** "ESTAT:EI_BPM6CA_Q$DEFAULTVIEW(1.0)" or a Dataflow URN → "EI_BPM6CA_Q" (Eurostat's "$view" suffix dropped). */
export function dataflowId(ref: string): string {
  let s = ref.trim();
  const urn = /=([^=]+)$/.exec(s);
  if (urn && s.startsWith('urn:')) s = urn[1] as string;
  s = s.replace(/\([^)]*\)$/, '');
  const colon = s.lastIndexOf(':');
  if (colon >= 0) s = s.slice(colon + 1);
  const dollar = s.indexOf('$');
  if (dollar > 0) s = s.slice(0, dollar);
  return s;
}
