/**
 * The strict one-pass load of tidy CSV (fast path) and the full validation (slow path) must give
 * the same observations: on a real bundled file, and on random files whose rows vary in the ways
 * the full path normalises (spaces, letter case, ISO2/M49 codes, dimension spellings, aliases,
 * invalid rows, duplicates).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PontisError } from '../../src/core/errors.ts';
import { ingestFile } from '../../src/store/ingest-files.ts';
import { DATA_DIR, loadReference } from '../../src/store/reference.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { tmpDir } from '../helpers.ts';

const tmp = tmpDir('pontis-fast-');
let fast: Store;
let full: Store;

beforeAll(async () => {
  fast = await openStore({ path: ':memory:' });
  full = await openStore({ path: ':memory:' });
  await loadReference(fast);
  await loadReference(full);
});
afterAll(() => {
  fast.close();
  full.close();
  tmp.cleanup();
});

const rowsOf = (s: Store) =>
  s.db.all(
    `SELECT indicator, geo, period, year, sex, area, age, quintile, breakdown, value, flags FROM observations
     ORDER BY ALL`,
  );

let paths: (string | null)[] = [];

/** Both stores without observations or datasets (the reference data stays). */
async function emptyBoth() {
  for (const s of [fast, full])
    await s.db.exec('DELETE FROM obs_rows; DELETE FROM obs_plain; DELETE FROM datasets');
}

async function loadBoth(path: string) {
  paths = [];
  const outcome = async (s: Store, fastPath: boolean) => {
    try {
      const r = await ingestFile(s, path, { fastPath, skipInvalid: true });
      paths.push(r.path);
      return { status: r.status, loaded: r.loaded, rejected: r.rejected, duplicates: r.duplicates };
    } catch (e) {
      if (e instanceof PontisError) return { error: e.message.replace(path, 'FILE') };
      throw e;
    }
  };
  return { a: await outcome(fast, true), b: await outcome(full, false) };
}

/** Loads `text` into both emptied stores: the fast path takes `fastPath`, and both give the same. */
async function expectBoth(name: string, text: string, fastPath: string, expected: object) {
  const file = join(tmp.dir, name);
  writeFileSync(file, text);
  await emptyBoth();
  const r = await loadBoth(file);
  expect(paths).toEqual([fastPath, 'validated']);
  expect(r.a).toEqual(r.b);
  expect(r.a).toMatchObject(expected);
  expect(await rowsOf(fast)).toEqual(await rowsOf(full));
}

describe('fast path equals full validation', () => {
  it('on the bundled UN SDG file (sex, speed-tier breakdown columns, flags)', async () => {
    const { a, b } = await loadBoth(join(DATA_DIR, 'observations/un-sdg-2020-ict-rd.csv.gz'));
    expect(paths).toEqual(['one-pass', 'validated']);
    expect(a).toEqual(b);
    expect(await rowsOf(fast)).toEqual(await rowsOf(full));
  });

  it('on the bundled WDI file via Gapminder (with urban/rural aliases of SP.POP.TOTL)', async () => {
    const { a, b } = await loadBoth(join(DATA_DIR, 'observations/wdi-ict-gapminder.csv.gz'));
    expect(paths).toEqual(['one-pass', 'validated']);
    expect(a).toEqual(b);
    expect(await rowsOf(fast)).toEqual(await rowsOf(full));
  });

  it('on random tidy files', async () => {
    const geo = fc.constantFrom('KEN', 'ken', ' KEN', 'KE', '404', 'IND', 'BRA', 'XXX', '');
    const indicator = fc.constantFrom('T.A', 'T.B', ' T.A', 'IT.NET.USER.FE.ZS', 'SP.URB.TOTL', '');
    // Also 4-character periods that cast to a number without being a year's four digits (rarer, so
    // that some files are entirely valid and take the fast path).
    const period = fc.oneof(
      { arbitrary: fc.constantFrom('2019', '2020', '2019-Q1', ' 2019', '20x9', ''), weight: 6 },
      { arbitrary: fc.constantFrom('1e03', '-999', '0999', '+202', '2e03'), weight: 1 },
    );
    const value = fc.oneof(
      fc.double({ min: -1e6, max: 1e6, noNaN: true }).map(String),
      fc.constantFrom('abc', '', ' 3.5', '1e3', 'NaN', '0x10', 'inf', '1,5', '+2', '.5'),
    );
    const sex = fc.constantFrom('', 'F', 'female', 'M', '_T', 'x');
    const used = new Set<string | null>();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(indicator, geo, period, value, sex), { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        async (rows, withSex) => {
          await emptyBoth();
          const header = withSex ? 'indicator,geo,period,sex,value' : 'indicator,geo,period,value';
          const lines = rows.map(([i, g, p, v, s]) =>
            withSex ? `"${i}","${g}","${p}","${s}","${v}"` : `"${i}","${g}","${p}","${v}"`,
          );
          const path = join(tmp.dir, `r${n++}.csv`);
          writeFileSync(path, `${header}\n${lines.join('\n')}\n`);
          const { a, b } = await loadBoth(path);
          expect(a).toEqual(b);
          expect(await rowsOf(fast)).toEqual(await rowsOf(full));
          used.add(paths[0] ?? null);
        },
      ),
      { numRuns: 80, seed: 20261123 },
    );
    // Both outcomes of the fast path occurred: taken, and abandoned for the full path.
    expect(used).toEqual(new Set(['one-pass', 'validated']));
  }, 120_000);

  it('on years further apart than the bit-per-year check holds (exact check instead)', async () => {
    // 1850 and 2020 are 170 years apart: more than one 128-bit mask, so the whole key is hashed.
    await expectBoth(
      'span.csv',
      'indicator,geo,period,value\nT.A,KEN,1850,1\nT.A,KEN,2020,2\nT.A,IND,2020,3\n',
      'one-pass',
      {
        status: 'loaded',
        loaded: 3,
      },
    );
    // The same span with a repeated key: the fast path gives way, the full path reports it.
    await expectBoth(
      'span-dup.csv',
      'indicator,geo,period,value\nT.A,KEN,1850,1\nT.A,KEN,2020,2\nT.A,KEN,2020,5\n',
      'validated',
      { status: 'loaded', loaded: 1, rejected: 2 },
    );
  });

  it('counts years on both sides of the two 64-bit halves of the mask', async () => {
    // From 1960: 2023 is the low half's last bit (63), 2024 the high half's first (64), 2087 its
    // last (127). Four distinct years of one series: the fast path keeps the load.
    const years = [1960, 2023, 2024, 2087];
    const body = `indicator,geo,period,value\n${years.map((y, i) => `T.A,KEN,${y},${i}`).join('\n')}\n`;
    await expectBoth('halves.csv', body, 'one-pass', { status: 'loaded', loaded: 4 });
    // A year repeated with another value, in either half: both paths reject that key's two rows.
    for (const y of [2023, 2024, 2087])
      await expectBoth(`halves-${y}.csv`, `${body}T.A,KEN,${y},9\n`, 'validated', {
        status: 'loaded',
        loaded: 3,
        rejected: 2,
      });
  });

  it('finds a repeated year with one 64-bit mask (a span of 64 years) and across dimensions', async () => {
    // 1960 and 2023 are bits 0 and 63 of the one mask a 64-year file uses. Keys are codes as read
    // (no alias, no code to map), so the series are grouped by a hash of their key.
    const body = 'indicator,geo,period,sex,value\nT.A,KEN,1960,F,1\nT.A,KEN,2023,F,2\nT.A,KEN,2023,M,3\n';
    await expectBoth('one-mask.csv', body, 'one-pass', { status: 'loaded', loaded: 3 });
    // The same key (T.A, KEN, F) in 2023 twice: both rows of that key rejected by both paths, the other
    // two loaded; in 1960 twice as well.
    for (const y of [2023, 1960])
      await expectBoth(`one-mask-${y}.csv`, `${body}T.A,KEN,${y},F,9\n`, 'validated', {
        status: 'loaded',
        loaded: 2,
        rejected: 2,
      });
  });

  it('finds a loaded file unchanged under its own name and as a copy under another', async () => {
    // Under a name loaded before, the checksum is read beside the insert and stops it; under a new
    // name it is read after the insert: either way the store keeps one dataset and its rows.
    const body = 'indicator,geo,period,value\nT.A,KEN,2019,1\nT.A,KEN,2020,2\nT.B,IND,2020,3\n';
    const first = join(tmp.dir, 'first.csv');
    const copy = join(tmp.dir, 'copy.csv');
    writeFileSync(first, body);
    writeFileSync(copy, body);
    await emptyBoth();
    const loaded = await ingestFile(fast, first, {});
    expect(loaded).toMatchObject({ status: 'loaded', path: 'one-pass', loaded: 3 });
    const before = await rowsOf(fast);
    for (const file of [first, copy]) {
      const again = await ingestFile(fast, file, {});
      expect(again).toMatchObject({ status: 'unchanged', dataset: loaded.dataset });
      expect(await fast.db.value('SELECT count(*) FROM datasets')).toBe(1);
      expect(await rowsOf(fast)).toEqual(before);
    }
  });

  it('maps ISO2 and M49 codes and finds two codes of one country as the same key', async () => {
    const path = join(tmp.dir, 'codes.csv');
    // KE and 404 are both Kenya: one file with the same year under both is a repeated key.
    writeFileSync(path, 'indicator,geo,period,value\nT.A,KE,2019,1\nT.A,404,2020,2\nT.A,IND,2019,3\n');
    await emptyBoth();
    const { a, b } = await loadBoth(path);
    expect(paths).toEqual(['one-pass', 'validated']);
    expect(a).toEqual(b);
    expect(await fast.db.all('SELECT geo, year FROM observations ORDER BY ALL')).toEqual([
      { geo: 'IND', year: 2019 },
      { geo: 'KEN', year: 2019 },
      { geo: 'KEN', year: 2020 },
    ]);
    const clash = join(tmp.dir, 'codes-clash.csv');
    writeFileSync(clash, 'indicator,geo,period,value\nT.A,KE,2019,1\nT.A,404,2019,2\n');
    await emptyBoth();
    const second = await loadBoth(clash);
    expect(paths).toEqual(['validated', 'validated']);
    expect(second.a).toEqual(second.b);
    expect(second.a).toMatchObject({ status: 'loaded', loaded: 0, rejected: 2 });
  });

  it('leaves 4-character periods that are numbers but not four digits to the full path', async () => {
    for (const [period, loaded] of [
      ['1e03', 1],
      ['2e03', 1],
      ['-999', 1],
      ['+202', 1],
      ['0999', 2],
    ] as const) {
      const path = join(tmp.dir, `p${loaded}${period}.csv`);
      writeFileSync(path, `indicator,geo,period,value\nT.A,KEN,2019,1\nT.A,KEN,${period},2\n`);
      await emptyBoth();
      const { a, b } = await loadBoth(path);
      expect(paths, period).toEqual(['validated', 'validated']);
      expect(a, period).toEqual(b);
      expect(a, period).toMatchObject({ status: 'loaded', loaded, rejected: 2 - loaded });
    }
  });

  it('tries obs_rows after obs_plain only for a period that is not a year', async () => {
    // The strict inserts the fast path runs, seen on the real store's connection.
    const inserts: string[] = [];
    const exec = fast.db.exec.bind(fast.db);
    fast.db.exec = (sql, params) => {
      const m = /^INSERT INTO (obs_plain|obs_rows)\s+SELECT r\./.exec(sql.trim());
      if (m) inserts.push(m[1]!);
      return exec(sql, params);
    };
    try {
      // Quarterly periods: obs_plain refuses them, obs_rows takes them; one pass.
      const quarterly = join(tmp.dir, 'quarterly.csv');
      writeFileSync(quarterly, 'indicator,geo,period,value\nT.A,KEN,2019-Q1,1\nT.A,KEN,2019-Q2,2\n');
      await emptyBoth();
      let r = await loadBoth(quarterly);
      expect(inserts).toEqual(['obs_plain', 'obs_rows']);
      expect(paths).toEqual(['one-pass', 'validated']);
      expect(r.a).toEqual(r.b);
      // A value that is not a finite number fails any table: straight to the full path.
      inserts.length = 0;
      const infinite = join(tmp.dir, 'infinite.csv');
      writeFileSync(infinite, 'indicator,geo,period,value\nT.A,KEN,2019,1\nT.A,KEN,2020,inf\n');
      await emptyBoth();
      r = await loadBoth(infinite);
      expect(inserts).toEqual(['obs_plain']);
      expect(paths).toEqual(['validated', 'validated']);
      expect(r.a).toEqual(r.b);
      expect(r.a).toMatchObject({ status: 'loaded', loaded: 1, rejected: 1 });
    } finally {
      fast.db.exec = exec;
    }
  });
});
