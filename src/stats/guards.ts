/**
 * Input guards shared by the statistics: every bad input becomes a PontisError naming the field,
 * never a NaN that travels on into a table.
 */
import { invalid, notFound } from '../core/errors.ts';

/** A number that is present and finite; null, undefined and NaN are "no data". */
export function isNumber(x: number | null | undefined): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

export function requireFinite(x: number, field: string): number {
  if (!Number.isFinite(x)) {
    throw invalid(`must be a finite number, got ${Number.isNaN(x) ? 'a missing value' : String(x)}`, {
      field,
    });
  }
  return x;
}

export function requirePositive(x: number, field: string): number {
  requireFinite(x, field);
  if (x <= 0) throw invalid(`must be greater than 0, got ${x}`, { field });
  return x;
}

export function requireNonNegative(x: number, field: string): number {
  requireFinite(x, field);
  if (x < 0) throw invalid(`must not be negative, got ${x}`, { field });
  return x;
}

export function requireShare(x: number, field: string): number {
  requireFinite(x, field);
  if (x < 0 || x > 1) throw invalid(`must be between 0 and 1, got ${x}`, { field });
  return x;
}

export function requireYear(x: number, field: string): number {
  if (!Number.isInteger(x) || x < 1000 || x > 9999)
    throw invalid(`must be a four-digit year, got ${x}`, { field });
  return x;
}

/**
 * Check that a code (indicator, group) is one the caller knows, with a suggestion list in the
 * message. The store calls this before handing rows to a statistic.
 */
export function requireKnown(kind: string, code: string, known: Iterable<string>): string {
  const all = [...known];
  if (all.includes(code)) return code;
  const lower = code.toLowerCase();
  const close = all
    .filter((k) => k.toLowerCase().includes(lower) || lower.includes(k.toLowerCase()))
    .slice(0, 5);
  const hint = close.length > 0 ? `; did you mean ${close.map((c) => `'${c}'`).join(', ')}?` : '';
  throw notFound(`unknown ${kind} '${code}'${hint}`, { field: kind });
}

/** Reject duplicate keys in rows a query returned (one row per country is the contract). */
export function requireUnique(keys: readonly string[], field: string): void {
  const seen = new Set<string>();
  for (const k of keys) {
    if (seen.has(k)) throw invalid(`duplicate row for '${k}'`, { field });
    seen.add(k);
  }
}
