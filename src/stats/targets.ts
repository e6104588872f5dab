/**
 * The target registry: published connectivity targets kept as data (data/targets.csv), not code.
 * This module parses and validates the file's text; reading the file is the caller's job (stats
 * does no I/O).
 *
 * Columns: id, indicator, geo, target, year, direction, unit, source, url, note
 *   id         unique, lower-case (e.g. bbcom-2025-t3-ldc)
 *   indicator  the indicator code the target applies to
 *   geo        '*' (every country and group), an ISO3 code, or a group code (WORLD, LDC, WB_L…)
 *   target     the target value (number)
 *   year       the target year
 *   direction  higher | lower | parity  (reach at least / stay below / reach the value)
 *   unit       the unit of the target value (e.g. %, ratio)
 *   source     who set the target and where
 *   url        a public http(s) address for the source
 *   note       free text (e.g. "strictly less than")
 */
import { parse } from 'csv-parse/sync';
import { invalid, type RowIssue } from '../core/errors.ts';
import type { TargetDirection } from './progress.ts';

export const TARGET_COLUMNS = [
  'id',
  'indicator',
  'geo',
  'target',
  'year',
  'direction',
  'unit',
  'source',
  'url',
  'note',
] as const;

export type TargetDirectionName = 'higher' | 'lower' | 'parity';

export interface Target {
  id: string;
  indicator: string;
  /** '*' | ISO3 | group code */
  geo: string;
  target: number;
  year: number;
  direction: TargetDirectionName;
  unit: string;
  source: string;
  url: string;
  note: string;
  /** 1-based line in the file, for messages. */
  line: number;
}

export const DIRECTION_SIGN: Record<TargetDirectionName, TargetDirection> = {
  higher: 1,
  lower: -1,
  parity: 0,
};

const ID = /^[a-z0-9][a-z0-9._-]*$/;
const CODE = /^[A-Za-z0-9][A-Za-z0-9_.$-]*$/;
/** ISO3 codes (AFG) and group codes (WORLD, LDC, WB_LM, M49_002) share one upper-case form. */
const GEO = /^[A-Z][A-Z0-9_]*$/;
const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

export interface ParseTargetsOptions {
  file?: string;
  /** When given, a geo that is neither '*' nor in these sets is an error. */
  knownGeos?: ReadonlySet<string>;
  knownGroups?: ReadonlySet<string>;
}

export function parseTargets(text: string, options: ParseTargetsOptions = {}): Target[] {
  const file = options.file ?? 'targets.csv';
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, {
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
      bom: true,
    }) as unknown as Array<{
      record: string[];
      info: { lines: number };
    }>;
  } catch (e) {
    const line = (e as { lines?: number }).lines;
    throw invalid(`not valid CSV: ${(e as Error).message}`, {
      file,
      ...(line !== undefined ? { line } : {}),
    });
  }
  if (records.length === 0) throw invalid('the file is empty; expected a header row', { file, line: 1 });
  const header = records[0]!.record.map((h) => h.trim());
  const expected = TARGET_COLUMNS.join(',');
  if (header.join(',') !== expected) {
    throw invalid(`the header must be exactly: ${expected}`, {
      file,
      line: records[0]!.info.lines,
      field: 'header',
    });
  }
  const issues: RowIssue[] = [];
  const out: Target[] = [];
  const ids = new Map<string, number>();
  for (const { record, info } of records.slice(1)) {
    const line = info.lines;
    const issue = (field: string, reason: string) => issues.push({ file, line, field, reason });
    if (record.length !== TARGET_COLUMNS.length) {
      issue('row', `expected ${TARGET_COLUMNS.length} fields, found ${record.length}`);
      continue;
    }
    const [id, indicator, geo, target, year, direction, unit, source, url, note] = record.map((f) =>
      f.trim(),
    ) as [string, string, string, string, string, string, string, string, string, string];
    const before = issues.length;
    if (!ID.test(id)) issue('id', `'${id}' is not a valid id (lower-case letters, digits, . _ -)`);
    else if (ids.has(id)) issue('id', `duplicate id '${id}' (first on line ${ids.get(id)})`);
    else ids.set(id, line);
    if (!CODE.test(indicator)) issue('indicator', `'${indicator}' is not a valid indicator code`);
    if (geo !== '*' && !GEO.test(geo)) {
      issue('geo', `'${geo}' must be '*', an ISO 3166 alpha-3 code or a group code (upper case)`);
    } else if (geo !== '*' && (options.knownGeos || options.knownGroups)) {
      const known = options.knownGeos?.has(geo) || options.knownGroups?.has(geo);
      if (!known) issue('geo', `unknown country or group '${geo}'`);
    }
    if (!NUMBER.test(target)) issue('target', `'${target}' is not a number`);
    const y = Number(year);
    if (!/^\d{4}$/.test(year) || y < 2000 || y > 2100)
      issue('year', `'${year}' is not a target year (2000–2100)`);
    if (direction !== 'higher' && direction !== 'lower' && direction !== 'parity') {
      issue('direction', `'${direction}' must be higher, lower or parity`);
    }
    if (source === '') issue('source', 'the source is required');
    if (!/^https?:\/\/\S+$/.test(url)) issue('url', `'${url}' is not an http(s) address`);
    if (issues.length > before) continue;
    out.push({
      id,
      indicator,
      geo,
      target: Number(target),
      year: y,
      direction: direction as TargetDirectionName,
      unit,
      source,
      url,
      note,
      line,
    });
  }
  if (issues.length > 0) {
    const first = issues[0]!;
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    throw invalid(`${first.reason}${more}`, { file, line: first.line, field: first.field }, issues);
  }
  return out;
}

/**
 * Targets that apply to an indicator for a geo or group: an exact geo match first, then '*'.
 * Sorted by target year, then id.
 */
export function targetsFor(targets: readonly Target[], indicator: string, geo: string): Target[] {
  const exact = targets.filter((t) => t.indicator === indicator && t.geo === geo);
  const list = exact.length > 0 ? exact : targets.filter((t) => t.indicator === indicator && t.geo === '*');
  return [...list].sort((a, b) => a.year - b.year || (a.id < b.id ? -1 : 1));
}

export function targetById(targets: readonly Target[], id: string): Target {
  const t = targets.find((x) => x.id === id);
  if (!t) throw invalid(`unknown target '${id}'`, { field: 'target' });
  return t;
}
