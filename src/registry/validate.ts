/** zod validation at the registry's edges, as PontisErrors naming the field at fault. */
import type { z } from 'zod';
import { type Location, PontisError } from '../core/errors.ts';

/** The path of the first string inside `v` holding a NUL character (PostgreSQL text cannot), or null. */
export function nulPath(v: unknown, path: string[] = []): string[] | null {
  if (typeof v === 'string') return v.includes('\u0000') ? path : null;
  if (Array.isArray(v)) {
    for (const [i, x] of v.entries()) {
      const p = nulPath(x, [...path, String(i)]);
      if (p) return p;
    }
  } else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      const p = nulPath(x, [...path, k]);
      if (p) return p;
    }
  }
  return null;
}

export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: Location = {},
): z.output<S> {
  // Every registry input is stored in PostgreSQL text columns, which cannot hold NUL: refused here,
  // for the web forms, the API, the importer and the library alike, naming the field.
  const nul = nulPath(value);
  if (nul) {
    const field = [where.field, ...nul].filter((s) => s !== undefined && s !== '').join('.');
    throw new PontisError(
      'invalid_input',
      'contains a NUL character',
      { ...where, field: field || undefined },
      [{ field: nul.join('.'), reason: 'contains a NUL character' }],
    );
  }
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = [where.field, ...issue.path.map(String)].filter((s) => s !== undefined && s !== '').join('.');
  const more = r.error.issues.length > 1 ? ` (and ${r.error.issues.length - 1} more)` : '';
  throw new PontisError(
    'invalid_input',
    `${issue.message}${more}`,
    { ...where, field: field || undefined },
    r.error.issues.map((i) => ({ field: i.path.map(String).join('.'), reason: i.message })),
  );
}
