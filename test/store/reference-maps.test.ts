/**
 * resolveIndicator and resolveGeos answer from in-memory maps of the reference data: every answer
 * must equal the store's own SQL lookup (each code, in several spellings), unknown codes are still
 * errors with the same messages, and a code a later load brings is found at once.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PontisError } from '../../src/core/errors.ts';
import { ingestFile } from '../../src/store/ingest-files.ts';
import { querySeries, resolveGeos, resolveIndicator } from '../../src/store/queries.ts';
import { loadReference } from '../../src/store/reference.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { tmpDir } from '../helpers.ts';

const tmp = tmpDir('pontis-refmaps-');
let store: Store;
beforeAll(async () => {
  store = await openStore({ path: ':memory:' });
  await loadReference(store);
});
afterAll(() => {
  store.close();
  tmp.cleanup();
});

async function rejection(p: Promise<unknown>): Promise<PontisError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof PontisError) return e;
    throw e;
  }
  throw new Error('expected a PontisError');
}

describe('reference maps', () => {
  it('every country-code alias, as given, lower-cased and padded, resolves as the SQL lookup does', async () => {
    const aliases = await store.db.all<{ code: string }>('SELECT code FROM geo_aliases ORDER BY code');
    expect(aliases.length).toBeGreaterThan(500);
    for (const { code } of aliases) {
      const sql = await store.db.value<string>('SELECT iso3 FROM geo_aliases WHERE code = upper(trim(?))', [
        code,
      ]);
      expect(await resolveGeos(store, [code, code.toLowerCase(), ` ${code} `])).toEqual([sql, sql, sql]);
    }
  });

  it('every indicator code, as given and lower-cased, resolves as the SQL lookup does', async () => {
    const codes = await store.db.all<{ code: string }>('SELECT code FROM indicators ORDER BY code');
    expect(codes.length).toBeGreaterThan(20);
    for (const { code } of codes) {
      for (const given of [code, code.toLowerCase()]) {
        const row = await store.db.one<{
          code: string;
          breakdown_of: string | null;
          sex: string | null;
          area: string | null;
        }>(
          'SELECT code, breakdown_of, sex, area FROM indicators WHERE code = ? OR upper(code) = upper(?) ORDER BY code = ? DESC LIMIT 1',
          [given, given, given],
        );
        const expected = row!.breakdown_of
          ? {
              code: row!.breakdown_of,
              dims: { ...(row!.sex ? { sex: row!.sex } : {}), ...(row!.area ? { area: row!.area } : {}) },
            }
          : { code: row!.code, dims: {} };
        expect(await resolveIndicator(store, given)).toEqual(expected);
      }
    }
    // A breakdown alias: WDI's women's Internet use is IT.NET.USER.ZS with sex F.
    expect(await resolveIndicator(store, 'it.net.user.fe.zs')).toEqual({
      code: 'IT.NET.USER.ZS',
      dims: { sex: 'F' },
    });
  });

  it('unknown codes are errors naming the code; spellings the store does not match are not matched', async () => {
    const g = await rejection(resolveGeos(store, ['KEN', 'ATLANTIS']));
    expect(g.code).toBe('not_found');
    expect(g.message).toMatch(/unknown country code ATLANTIS/);
    // DuckDB's trim() removes spaces only: a tab is not trimmed, so this is no code.
    expect((await rejection(resolveGeos(store, ['KEN\t']))).code).toBe('not_found');
    // Full-width letters are not KEN.
    expect((await rejection(resolveGeos(store, ['ＫＥＮ']))).code).toBe('not_found');
    const i = await rejection(resolveIndicator(store, 'IT.NET.USER.Z'));
    expect(i.message).toMatch(/unknown indicator IT.NET.USER.Z \(did you mean .*IT.NET.USER.ZS/);
  });

  it('an indicator a later load brings is found at once, and its series queried', async () => {
    expect((await rejection(resolveIndicator(store, 'MY.SURVEY'))).code).toBe('not_found');
    const f = join(tmp.dir, 'survey.csv');
    writeFileSync(f, 'indicator,geo,period,value\nMY.SURVEY,KEN,2023,41.2\nMY.SURVEY,UG,2023,12.5\n');
    await ingestFile(store, f, { source: 'My survey', vintage: '2024-01' });
    expect(await resolveIndicator(store, 'my.survey')).toEqual({ code: 'MY.SURVEY', dims: {} });
    const rows = await querySeries(store, { indicator: 'MY.SURVEY', geo: ['ke', 'UGA'] });
    expect(rows.map((r) => [r.geo, r.value])).toEqual([
      ['KEN', 41.2],
      ['UGA', 12.5],
    ]);
  });
});
