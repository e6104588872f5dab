/**
 * The unit a statistic is asked for: one country (`geo`) or a group (`group`), resolved to the
 * members on 1 July of the data year. A country is treated as a group of one, so every result has
 * the same shape (value, method, coverage).
 */
import { invalid, notFound, PontisError } from '../core/errors.ts';
import { membersAt } from '../store/member-values.ts';
import { resolveGeos } from '../store/queries.ts';
import type { Store } from '../store/store.ts';
import { resolveGroups } from './series.ts';

export interface Unit {
  kind: 'geo' | 'group';
  code: string;
  members: string[];
}

/**
 * `code` may be a country (ISO3/ISO2/M49) or a group code; `geo` and `group` force one reading.
 */
export async function resolveUnit(
  store: Store,
  where: { geo?: string; group?: string },
  year: number,
): Promise<Unit> {
  if (where.geo !== undefined && where.group !== undefined)
    throw invalid('give a country or a group, not both', { field: 'geo' });
  const name = where.geo ?? where.group;
  if (name === undefined) throw invalid('give a country (geo) or a group', { field: 'geo' });
  if (where.group === undefined) {
    // A group code wins over a country alias only when the caller said group; ISO3 first otherwise.
    const iso = await resolveGeos(store, [name]).catch(() => null);
    if (iso) return { kind: 'geo', code: iso[0]!, members: [iso[0]!] };
  }
  const [code] = await resolveGroups(store, [name]).catch((e: unknown) => {
    if (e instanceof PontisError && e.code === 'not_found' && where.group === undefined)
      throw notFound(
        `unknown country or group ${name}: ${e.message.replace(/^unknown group \S+ ?/, '')}`.trim(),
        {
          field: 'geo',
        },
      );
    throw e;
  });
  const members = await membersAt(store, code!, year);
  if (members.length === 0)
    throw notFound(`group ${code} has no members on ${year}-07-01`, { field: 'group' });
  return { kind: 'group', code: code!, members };
}
