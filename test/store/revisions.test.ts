/**
 * Revisions: a later dataset that brings a value for a key an earlier one had marks the earlier
 * value superseded (docs/methodology.md, "Vintages"); `obs` shows the values in force, `observations`
 * keeps every vintage. Keys are compared in their canonical form across both tables: annual totals
 * without flags are stored in obs_plain, everything else in obs_rows. Hand-made files; the expected
 * values in force are worked out below. Each sequence runs on the fast path (which puts A and C in
 * obs_plain, so revisions cross the tables) and on the full path (everything in obs_rows).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ingestFile } from '../../src/store/ingest-files.ts';
import { loadReference } from '../../src/store/reference.ts';
import { openStore } from '../../src/store/store.ts';
import { tmpDir } from '../helpers.ts';

const tmp = tmpDir('pontis-revisions-');
afterAll(() => tmp.cleanup());

function file(name: string, text: string): string {
  const path = join(tmp.dir, name);
  writeFileSync(path, text);
  return path;
}

// A: annual totals only (obs_plain). B: with a sex column (obs_rows): a total that revises A's 2020,
// and a value for women, which revises nothing. C: annual totals again (obs_plain), revising B's
// 2020 total, which is in obs_rows. D: a quarter of 2020 (obs_rows), a key of its own.
const A = file('a.csv', 'indicator,geo,period,value\nT.R,KEN,2019,1\nT.R,KEN,2020,2\n');
const B = file('b.csv', 'indicator,geo,period,sex,value\nT.R,KEN,2020,_T,5\nT.R,KEN,2020,F,6\n');
const C = file('c.csv', 'indicator,geo,period,value\nT.R,KEN,2020,7\n');
const D = file('d.csv', 'indicator,geo,period,value\nT.R,KEN,2020-Q1,8\n');

describe.each([true, false])('revisions across obs_plain and obs_rows (fast path %s)', (fastPath) => {
  it('mark the earlier value superseded, and only for the same canonical key', async () => {
    const store = await openStore({ path: ':memory:' });
    try {
      await loadReference(store);
      const inForce = () =>
        store.db.all('SELECT period, sex, value FROM obs WHERE indicator = ? ORDER BY period, sex', ['T.R']);
      const stored = async () =>
        (await store.db.value<number>(
          "SELECT (SELECT count(*) FROM obs_plain WHERE indicator = 'T.R') * 100 + (SELECT count(*) FROM obs_rows WHERE indicator = 'T.R')",
        )) ?? -1;
      const load = async (path: string) => (await ingestFile(store, path, { fastPath })).superseded;

      expect(await load(A)).toBe(0);
      // The fast path writes annual totals to obs_plain; the full path writes every row to obs_rows.
      expect(await stored()).toBe(fastPath ? 200 : 2);
      expect(await load(B)).toBe(1); // A's 2020 total
      expect(await stored()).toBe(fastPath ? 202 : 4);
      expect(await inForce()).toEqual([
        { period: '2019', sex: '_T', value: 1 },
        { period: '2020', sex: 'F', value: 6 },
        { period: '2020', sex: '_T', value: 5 },
      ]);
      expect(await load(C)).toBe(1); // B's 2020 total, stored in obs_rows
      expect(await inForce()).toEqual([
        { period: '2019', sex: '_T', value: 1 },
        { period: '2020', sex: 'F', value: 6 },
        { period: '2020', sex: '_T', value: 7 },
      ]);
      expect(await load(D)).toBe(0); // 2020-Q1 is not the key 2020
      expect(await inForce()).toEqual([
        { period: '2019', sex: '_T', value: 1 },
        { period: '2020', sex: 'F', value: 6 },
        { period: '2020', sex: '_T', value: 7 },
        { period: '2020-Q1', sex: '_T', value: 8 },
      ]);
      // Every vintage is kept: 2 + 2 + 1 + 1 rows, of which two are superseded.
      expect(
        await store.db.all(
          "SELECT count(*) AS n, count(*) FILTER (superseded) AS old FROM observations WHERE indicator = 'T.R'",
        ),
      ).toEqual([{ n: 6, old: 2 }]);
    } finally {
      store.close();
    }
  });
});
