/**
 * The indicator explorer's state, read from the query string (a plain GET form) and written back
 * into links: geographies, years, sex and view. Invalid values fall back to defaults and are
 * reported to the visitor; nothing from the query string is echoed without escaping.
 */
export const VIEWS = ['chart', 'table', 'map'] as const;
export type View = (typeof VIEWS)[number];
export const SEXES = ['_T', 'F', 'M'] as const;
export type Sex = (typeof SEXES)[number];
export const AREAS = ['_T', 'U', 'R'] as const;
export type Area = (typeof AREAS)[number];

export interface ExplorerState {
  geo: string[];
  from: number;
  to: number;
  sex: Sex;
  area: Area;
  view: View;
  /** Query values that could not be used, by parameter. */
  invalid: Array<{ param: string; value: string }>;
}

type Query = Record<string, string | string[] | undefined>;

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

export const MIN_YEAR = 1960;
export const MAX_YEAR = 2030;
const MAX_GEOS = 12;

export function readState(q: Query, defaults: { geo: string[]; from: number; to: number }): ExplorerState {
  const invalid: ExplorerState['invalid'] = [];
  const geoText = first(q.geo);
  let geo = defaults.geo;
  if (geoText !== undefined && geoText.trim() !== '') {
    const parts = geoText
      .split(/[\s,;]+/)
      .map((s) => s.trim().toUpperCase())
      .filter(Boolean);
    const ok = parts.filter((p) => /^[A-Z0-9_]{2,12}$/.test(p));
    for (const p of parts) if (!ok.includes(p)) invalid.push({ param: 'geo', value: p });
    geo = [...new Set(ok)].slice(0, MAX_GEOS);
    if (geo.length === 0) geo = defaults.geo;
  }
  const year = (name: 'from' | 'to', fallback: number): number => {
    const v = first(q[name]);
    if (v === undefined || v === '') return fallback;
    const n = Number(v);
    if (Number.isInteger(n) && n >= MIN_YEAR && n <= MAX_YEAR) return n;
    invalid.push({ param: name, value: v });
    return fallback;
  };
  let from = year('from', defaults.from);
  let to = year('to', defaults.to);
  if (from > to) {
    invalid.push({ param: 'from', value: String(from) });
    [from, to] = [defaults.from, defaults.to];
  }
  const sexText = first(q.sex);
  let sex: Sex = '_T';
  if (sexText !== undefined && sexText !== '') {
    if ((SEXES as readonly string[]).includes(sexText)) sex = sexText as Sex;
    else invalid.push({ param: 'sex', value: sexText });
  }
  const areaText = first(q.area);
  let area: Area = '_T';
  if (areaText !== undefined && areaText !== '') {
    if ((AREAS as readonly string[]).includes(areaText)) area = areaText as Area;
    else invalid.push({ param: 'area', value: areaText });
  }
  const viewText = first(q.view);
  let view: View = 'chart';
  if (viewText !== undefined && viewText !== '') {
    if ((VIEWS as readonly string[]).includes(viewText)) view = viewText as View;
    else invalid.push({ param: 'view', value: viewText });
  }
  return { geo, from, to, sex, area, view, invalid };
}

/** The query string for a state (optionally with a different view). */
export function queryOf(s: ExplorerState, view: View = s.view): string {
  const p = new URLSearchParams();
  p.set('geo', s.geo.join(','));
  p.set('from', String(s.from));
  p.set('to', String(s.to));
  if (s.sex !== '_T') p.set('sex', s.sex);
  if (s.area !== '_T') p.set('area', s.area);
  p.set('view', view);
  return p.toString();
}
