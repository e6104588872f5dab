/**
 * The data behind the indicator explorer, through the library: country observations
 * (querySeries) and group aggregates by year (analysis.aggregate with the site's aggregation
 * rule), each series with its points and the sources and vintages it used.
 */
import { aggregate } from '../../analysis/aggregate.ts';
import { PontisError } from '../../core/errors.ts';
import type { IndicatorRow } from '../../store/queries.ts';
import { querySeries } from '../../store/queries.ts';
import type { SourceRef } from '../../store/sources.ts';
import type { Store } from '../../store/store.ts';
import { aggregationFor } from '../aggregation.ts';
import { countries, groups } from '../catalog.ts';
import type { Lang } from '../i18n.ts';
import type { ExplorerState } from './explorer-state.ts';

export interface ExplorerSeries {
  code: string;
  kind: 'country' | 'group';
  label: string;
  points: Array<{ year: number; value: number }>;
  /** Group series: years withheld, with coverage too low. */
  withheld: number[];
}

export interface ExplorerData {
  series: ExplorerSeries[];
  unknown: string[];
  /** Groups asked for that cannot be shown for this indicator or breakdown. */
  unsupported: string[];
  sources: SourceRef[];
}

export async function explorerData(
  store: Store,
  lang: Lang,
  ind: IndicatorRow,
  s: ExplorerState,
): Promise<ExplorerData> {
  const countryList = await countries(store, lang);
  const groupList = await groups(store, lang);
  const byIso = new Map(countryList.map((c) => [c.geo, c]));
  const groupByCode = new Map(groupList.map((g) => [g.code, g]));
  const unknown: string[] = [];
  const unsupported: string[] = [];
  const countryCodes: string[] = [];
  const groupCodes: string[] = [];
  for (const g of s.geo) {
    if (byIso.has(g)) countryCodes.push(g);
    else if (groupByCode.has(g)) groupCodes.push(g);
    else unknown.push(g);
  }
  const sources = new Map<number, SourceRef>();
  const series: ExplorerSeries[] = [];
  const dims = {
    ...(s.sex === '_T' ? {} : { sex: s.sex }),
    ...(s.area === '_T' ? {} : { area: s.area }),
  };
  if (countryCodes.length) {
    const rows = await querySeries(
      store,
      { indicator: ind.code, geo: countryCodes, from: s.from, to: s.to, dims },
      lang,
    );
    for (const code of countryCodes) {
      const mine = rows.filter((r) => r.geo === code);
      for (const r of mine)
        if (!sources.has(r.dataset))
          sources.set(r.dataset, {
            indicator: r.indicator,
            dataset: r.dataset,
            source: r.source,
            vintage: r.vintage,
            file: '',
            licence: null,
            url: null,
          });
      series.push({
        code,
        kind: 'country',
        label: byIso.get(code)?.name ?? code,
        points: mine.map((r) => ({ year: r.year, value: r.value })),
        withheld: [],
      });
    }
  }
  const agg = aggregationFor(ind.code, ind.unit);
  if (groupCodes.length) {
    if (!agg || s.sex !== '_T' || s.area !== '_T') unsupported.push(...groupCodes);
    else {
      const years: number[] = [];
      const lo = Math.max(s.from, ind.first_year ?? s.from);
      const hi = Math.min(s.to, ind.last_year ?? s.to);
      for (let y = lo; y <= hi; y++) years.push(y);
      let results: Awaited<ReturnType<typeof aggregate>> | null = null;
      if (years.length) {
        try {
          results = await aggregate(store, {
            indicator: ind.code,
            groups: groupCodes,
            year: years,
            ...agg,
            skipEmpty: true,
          });
        } catch (e) {
          if (!(e instanceof PontisError)) throw e;
        }
      }
      for (const r of results?.sources ?? []) sources.set(r.dataset, r);
      for (const g of groupCodes) {
        const mine = results?.results.filter((r) => r.group === g) ?? [];
        series.push({
          code: g,
          kind: 'group',
          label: groupByCode.get(g)?.name ?? g,
          points: mine.flatMap((r) =>
            r.result.status === 'ok' ? [{ year: r.year, value: r.result.value.value }] : [],
          ),
          withheld: mine.filter((r) => r.result.status === 'withheld').map((r) => r.year),
        });
      }
    }
  }
  return { series, unknown, unsupported, sources: [...sources.values()] };
}

/** All countries' values for the map, in the latest year up to `to` with good coverage. */
export async function mapData(
  store: Store,
  lang: Lang,
  ind: IndicatorRow,
  s: ExplorerState,
): Promise<{ year: number; rows: Array<{ geo: string; m49: string; name: string; value: number }> } | null> {
  const rows = await querySeries(
    store,
    {
      indicator: ind.code,
      from: s.from,
      to: s.to,
      dims: { ...(s.sex === '_T' ? {} : { sex: s.sex }), ...(s.area === '_T' ? {} : { area: s.area }) },
    },
    lang,
  );
  const list = await countries(store, lang);
  const byIso = new Map(list.map((c) => [c.geo, c]));
  const counts = new Map<number, number>();
  for (const r of rows) if (byIso.has(r.geo)) counts.set(r.year, (counts.get(r.year) ?? 0) + 1);
  if (counts.size === 0) return null;
  const max = Math.max(...counts.values());
  const year = Math.max(...[...counts].filter(([, n]) => n >= 0.8 * max).map(([y]) => y));
  return {
    year,
    rows: rows
      .filter((r) => r.year === year && byIso.has(r.geo))
      .map((r) => {
        const c = byIso.get(r.geo)!;
        return { geo: r.geo, m49: c.m49 ?? '', name: c.name ?? r.geo, value: r.value };
      }),
  };
}
