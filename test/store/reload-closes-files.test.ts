/**
 * Reloading a file that is already in the store reads its checksum and stops: the reader's stream,
 * opened to find the layout, is never taken. It must still be closed (loadFile calls the read's
 * `close()`), or each reload of a streamed format would keep a file descriptor open until exit.
 * Checked for every streamed format on the reader fixtures, by listing the descriptors that point at
 * the fixture in /proc/self/fd.
 */
import { readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFile } from '../../src/store/ingest-files.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { ROOT, tmpDir } from '../helpers.ts';

const FIXTURES = join(ROOT, 'test/fixtures/formats');
const tmp = tmpDir('pontis-reload-');
let store: Store;

function openOn(path: string): number {
  let n = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === path) n++;
    } catch {
      // closed between the listing and the read
    }
  }
  return n;
}

/** Descriptors are closed asynchronously after the stream ends: wait up to 2 s for them to go. */
async function settledOpenOn(path: string): Promise<number> {
  const until = Date.now() + 2000;
  for (;;) {
    const n = openOn(path);
    if (n === 0 || Date.now() > until) return n;
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  store = await openStore({ path: join(tmp.dir, 'p.duckdb') });
});
afterAll(() => {
  store.close();
  tmp.cleanup();
});

describe('reloading an unchanged file closes it', () => {
  const cases: [string, string][] = [
    ['wdi-csv', 'API_IT.NET.USER.ZS_DS2_en_csv_v2.csv'],
    ['wb-api-json (gzip)', 'SP.POP.TOTL.json.gz'],
    ['itu-csv', 'active-mobile-broadband-subscriptions_1711147050645.csv'],
    ['xlsx', 'CoreHouseholdIndicators_Jun2019.xlsx'],
    ['sdmx-csv', 'bis_der_sdmx-csv-1.0.csv'],
    ['sdmx-json', 'agri_sdmx-json-2.0.json'],
    ['unsdg-json', 'unsdg_series-data_handmade.json'],
  ];
  for (const [format, name] of cases) {
    it(format, async () => {
      const path = join(FIXTURES, name);
      const first = await ingestFile(store, path, { skipInvalid: true });
      expect(first.status).toBe('loaded');
      expect(await settledOpenOn(path)).toBe(0);
      const again = await ingestFile(store, path, { skipInvalid: true });
      expect(again.status).toBe('unchanged');
      expect(again.dataset).toBe(first.dataset);
      expect(await settledOpenOn(path)).toBe(0);
    });
  }
});
