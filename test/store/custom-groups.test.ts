/** Custom groups from a CSV: validated row by row (file, line, field), loaded atomically, dated. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PontisError } from '../../src/core/errors.ts';
import { importGroups } from '../../src/store/custom-groups.ts';
import { groupMembers, listGroups } from '../../src/store/queries.ts';
import { loadReference } from '../../src/store/reference.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { tmpDir } from '../helpers.ts';

const tmp = tmpDir('pontis-groups-');
let store: Store;
beforeAll(async () => {
  store = await openStore({ path: ':memory:' });
  await loadReference(store);
});
afterAll(() => {
  store.close();
  tmp.cleanup();
});

const file = (name: string, text: string) => {
  const p = join(tmp.dir, name);
  writeFileSync(p, text);
  return p;
};

async function rejects(path: string) {
  try {
    await importGroups(store, path);
  } catch (e) {
    expect(e).toBeInstanceOf(PontisError);
    return e as PontisError;
  }
  throw new Error('expected the import to fail');
}

describe('import-groups', () => {
  it('imports dated memberships (ISO3, ISO2 or M49 codes) and evaluates them at mid-year', async () => {
    const p = file(
      'eac.csv',
      'group,geo,valid_from,valid_to,name\nEAC,KEN,2000-07-07,,East African Community\nEAC,UG,2000-07-07,,\nEAC,108,2007-07-01,,\nEAC,SOM,2024-03-04,,\n',
    );
    expect(await importGroups(store, p)).toEqual({ groups: 1, memberships: 4 });
    expect((await groupMembers(store, 'EAC', { year: 2005 })).map((m) => m.geo)).toEqual(['KEN', 'UGA']);
    expect((await groupMembers(store, 'EAC', { year: 2010 })).map((m) => m.geo)).toEqual([
      'BDI',
      'KEN',
      'UGA',
    ]);
    expect((await groupMembers(store, 'EAC', { year: 2024 })).map((m) => m.geo)).toEqual([
      'BDI',
      'KEN',
      'SOM',
      'UGA',
    ]);
    const g = (await listGroups(store)).find((x) => x.code === 'EAC');
    expect(g).toMatchObject({ kind: 'custom', name: 'East African Community' });
  });

  it('re-importing a group replaces it', async () => {
    await importGroups(store, file('eac2.csv', 'group,geo\nEAC,TZA\n'));
    expect((await groupMembers(store, 'EAC', { year: 2024 })).map((m) => m.geo)).toEqual(['TZA']);
  });

  it('an unknown country names its line and field, and nothing is imported', async () => {
    const e = await rejects(file('bad.csv', 'group,geo\nMINE,KEN\nMINE,ATLANTIS\n'));
    expect(e.location).toMatchObject({ line: 3, field: 'geo' });
    expect(e.message).toMatch(/unknown country code 'ATLANTIS'/);
    expect((await listGroups(store)).some((g) => g.code === 'MINE')).toBe(false);
  });

  it('bad dates, an inverted interval, a built-in code and a missing column are refused', async () => {
    expect((await rejects(file('d.csv', 'group,geo,valid_from\nX1,KEN,2020-13-01\n'))).location.field).toBe(
      'valid_from',
    );
    expect(
      (await rejects(file('i.csv', 'group,geo,valid_from,valid_to\nX1,KEN,2020-01-01,2019-01-01\n'))).location
        .field,
    ).toBe('valid_to');
    expect((await rejects(file('b.csv', 'group,geo\nLDC,KEN\n'))).message).toMatch(/built-in group/);
    expect((await rejects(file('m.csv', 'name,geo\nX1,KEN\n'))).location).toMatchObject({
      line: 1,
      field: 'group',
    });
  });
});
