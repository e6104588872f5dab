/** zod validation at the registry's edges, as PontisErrors naming the field at fault. */
import type { z } from 'zod';
import { type Location, PontisError } from '../core/errors.ts';

export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: Location = {},
): z.output<S> {
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
