/**
 * Indicator coverage of a build: which indicators have no value for any unit (e.g. not in the store
 * for the index year), and what that does to each aggregate. Aggregation skips missing values and
 * rescales the weights over the children present, so an aggregate with missing indicators is still
 * computed, from fewer indicators: its scores are then not comparable with the same aggregate
 * computed from all of them. Availability is counted in the denominated data (before imputation).
 */
import type { PipelineResult } from './pipeline.ts';
import type { IndexSpec } from './spec.ts';

export interface IndicatorCoverage {
  code: string;
  name: string;
  parent: string;
  /** Data column read for the indicator (its `source`, or its code). */
  source: string;
  /** Units with a value. */
  units: number;
  /** Goalposts used (`observed` marks the provisional rule), if any. */
  goalposts: string;
}

export interface AggregateCoverage {
  code: string;
  name: string;
  /** Indicators under the aggregate (at any depth), and how many of them have data. */
  indicators: number;
  available: number;
  /** The indicators without data. */
  missing: string[];
}

export interface Coverage {
  indicators: IndicatorCoverage[];
  /** Indicators with no value for any unit. */
  missing: IndicatorCoverage[];
  aggregates: AggregateCoverage[];
  /** One sentence per aggregate computed from fewer indicators, then the consequence. */
  statements: string[];
}

export function indexCoverage(r: PipelineResult, spec: Pick<IndexSpec, 'tree' | 'comparableWith'>): Coverage {
  const t = r.tree;
  const m = r.stages.denominated;
  const n = m.rows.length;
  const byCode = new Map(spec.tree.map((x) => [x.code, x]));
  const indicators = t.indicators.map((code) => {
    const j = m.cols.indexOf(code);
    let units = 0;
    if (j >= 0) for (let i = 0; i < n; i++) if (!Number.isNaN(m.data[j * n + i] as number)) units++;
    const node = byCode.get(code);
    const gp = node?.goalposts;
    return {
      code,
      name: node?.name ?? code,
      parent: node?.parent ?? '',
      source: node?.source ?? code,
      units,
      goalposts: gp === undefined ? '' : gp === 'observed' ? 'observed' : `${gp[0]};${gp[1]}`,
    };
  });
  const has = new Map(indicators.map((x) => [x.code, x.units > 0]));
  // indicators under each aggregate, at any depth
  const leavesOf = (code: string): string[] => {
    const kids = spec.tree.filter((x) => x.parent === code).map((x) => x.code);
    return kids.length ? kids.flatMap(leavesOf) : [code];
  };
  const aggregates = t.aggregates.map((code) => {
    const leaves = leavesOf(code);
    const missing = leaves.filter((c) => !has.get(c));
    return {
      code,
      name: byCode.get(code)?.name ?? code,
      indicators: leaves.length,
      available: leaves.length - missing.length,
      missing,
    };
  });
  const statements: string[] = [];
  for (const a of aggregates) {
    if (!a.missing.length) continue;
    statements.push(
      a.available === 0
        ? `${a.code} (${a.name}) not computed: none of its ${a.indicators} indicators has data`
        : `${a.code} (${a.name}) computed from ${a.available} of ${a.indicators} indicators`,
    );
  }
  if (statements.length)
    statements.push(
      `scores are not comparable with ${spec.comparableWith ?? 'the index computed from all its indicators'}`,
    );
  return { indicators, missing: indicators.filter((x) => x.units === 0), aggregates, statements };
}
