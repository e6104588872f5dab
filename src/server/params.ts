/**
 * Query-string pieces shared by the routes: JSON schemas (validated by Fastify before a handler
 * runs) and the parsing of comma-separated lists and year ranges, with the limits of limits.ts.
 */
import { LANGS } from '../core/indicator.ts';
import type { Limits } from './limits.ts';
import { badParameter } from './problem.ts';

export const CODE_PATTERN = '^[A-Za-z0-9_.\\-]{1,64}$';
const LIST_PATTERN = '^[A-Za-z0-9_.\\-]{1,64}( *, *[A-Za-z0-9_.\\-]{1,64})*$';

export const yearParam = {
  type: 'integer',
  minimum: 1000,
  maximum: 9999,
  description: 'four-digit year',
} as const;
export const langParam = {
  type: 'string',
  enum: [...LANGS],
  description: 'language of names (default en)',
} as const;
export const codeParam = (description: string) =>
  ({ type: 'string', pattern: CODE_PATTERN, description }) as const;
export const listParam = (description: string) =>
  ({ type: 'string', pattern: LIST_PATTERN, maxLength: 2000, description }) as const;
export const yearsParam = {
  type: 'string',
  pattern: '^\\d{4}( *- *\\d{4})?( *, *\\d{4}( *- *\\d{4})?)*$',
  maxLength: 400,
  description: 'years: 2019, 2015,2019 or 2010-2019',
} as const;
export const dimParam = (description: string) =>
  ({ type: 'string', pattern: '^(\\*|[A-Za-z0-9_]{1,16})$', description }) as const;

export const pageParams = (limits: Limits) =>
  ({
    limit: {
      type: 'integer',
      minimum: 1,
      maximum: limits.maxLimit,
      description: `page size (default ${limits.defaultLimit}, at most ${limits.maxLimit})`,
    },
    offset: { type: 'integer', minimum: 0, maximum: 10_000_000, description: 'rows to skip' },
  }) as const;

export function parseList(v: string, parameter: string, max: number): string[] {
  const items = [
    ...new Set(
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  if (items.length === 0) throw badParameter(parameter, 'give at least one value');
  if (items.length > max) throw badParameter(parameter, `at most ${max} values, got ${items.length}`);
  return items;
}

export function parseYears(v: string, parameter: string, max: number): number[] {
  const out = new Set<number>();
  for (const part of v.split(',').map((s) => s.trim())) {
    const m = /^(\d{4})\s*(?:-\s*(\d{4}))?$/.exec(part);
    if (!m) throw badParameter(parameter, `not a year or year range: '${part}'`);
    const a = Number(m[1]);
    const b = m[2] ? Number(m[2]) : a;
    if (a < 1000 || b < 1000) throw badParameter(parameter, `must be a four-digit year, got '${part}'`);
    if (a > b) throw badParameter(parameter, `range ${part} runs backwards`);
    if (b - a + 1 + out.size > max) throw badParameter(parameter, `at most ${max} years`);
    for (let y = a; y <= b; y++) out.add(y);
  }
  return [...out].sort((x, y) => x - y);
}
