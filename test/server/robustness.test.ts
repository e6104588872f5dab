/**
 * The server never crashes on input: random paths and query strings against every route never
 * produce a 5xx, and the server keeps answering afterwards (fast-check). Bounded cost: a query
 * over the time limit is interrupted and answered 503, and the next request is served.
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type PontisApp } from '../../src/server/app.ts';
import { loadBundled } from '../../src/store/ingest-files.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { tmpDir } from '../helpers.ts';

const tmp = tmpDir();
let store: Store;
let app: PontisApp;

beforeAll(async () => {
  store = await openStore({ path: join(tmp.dir, 'p.duckdb') });
  await loadBundled(store);
  app = await buildApp({ store });
}, 180_000);
afterAll(async () => {
  await app?.close();
  store?.close();
  tmp.cleanup();
});

const ROUTES = [
  '/api/indicators',
  '/api/indicators/IT.NET.USER.ZS',
  '/api/series',
  '/api/aggregates',
  '/api/aggregates/presets',
  '/api/gaps',
  '/api/affordability',
  '/api/inequality',
  '/api/progress',
  '/api/indices',
  '/api/indices/asem',
  '/api/indices/asem/intervals',
  '/api/groups',
  '/api/groups/LDC',
  '/api/datasets',
  '/api/openapi.json',
  '/api/docs',
  '/',
];
const KEYS = [
  'indicator',
  'geo',
  'group',
  'year',
  'from',
  'to',
  'sex',
  'area',
  'age',
  'quintile',
  'breakdown',
  'limit',
  'offset',
  'format',
  'lang',
  'search',
  'method',
  'denominator',
  'weight',
  'scale',
  'fill',
  'fillMethod',
  'minCoverage',
  'by',
  'basket',
  'threshold',
  'target',
];
const VALUES = [
  'IT.NET.USER.ZS',
  'i271mw',
  'WPP.POP',
  'KEN',
  'KEN,IND',
  'LDC',
  'DEVELOPED,LDC',
  'WORLD',
  '2019',
  '2010-2019',
  '0',
  '-1',
  '1e308',
  'NaN',
  '*',
  'F',
  'csv',
  'sdmx-csv',
  'sex',
  'area',
  'income',
  'ratio',
  "'; DROP TABLE obs; --",
  '%',
  '%zz',
  '\u0000',
  '../../etc/passwd',
  'ك',
  'x'.repeat(300),
];

const token = fc.oneof(
  fc.constantFrom(...VALUES),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.integer().map(String),
);
const query = fc.array(
  fc.tuple(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 12 })), token, fc.boolean()),
  { maxLength: 6 },
);
const path = fc.oneof(
  fc.constantFrom(...ROUTES),
  fc
    .tuple(fc.constantFrom(...ROUTES), fc.string({ maxLength: 30 }))
    .map(([r, s]) => `${r}/${encodeURIComponent(s)}`),
  fc.webPath(),
);

function render(q: Array<[string, string, boolean]>): string {
  // Encode most pairs; send some raw (malformed percent-escapes, stray ampersands).
  return q
    .map(([k, v, raw]) => (raw ? `${k}=${v}` : `${encodeURIComponent(k)}=${encodeURIComponent(v)}`))
    .join('&')
    .split('')
    .map((c) =>
      c.charCodeAt(0) < 0x20 || c === '\u007f' || c === ' ' || c === '#' ? encodeURIComponent(c) : c,
    )
    .join('');
}

describe('robustness', () => {
  it('random paths and query strings never produce a 5xx', async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        path,
        query,
        fc.constantFrom(undefined, 'text/csv', 'application/vnd.sdmx.data+csv', '*/*'),
        async (p, q, accept) => {
          const qs = render(q);
          const url = `${p.startsWith('/') ? p : `/${p}`}${qs ? `?${qs}` : ''}`;
          const r = await app.inject({ method: 'GET', url, headers: accept ? { accept } : {} });
          statuses.set(r.statusCode, (statuses.get(r.statusCode) ?? 0) + 1);
          if (r.statusCode >= 500) throw new Error(`${url} → ${r.statusCode} ${r.body.slice(0, 300)}`);
          if (r.statusCode >= 400) expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
        },
      ),
      { numRuns: 400 },
    );
    // The runs reached the handlers: some succeeded, some were refused for a bad parameter.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(10);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(10);
    const health = await app.inject({ method: 'GET', url: '/api/health' });
    expect(health.statusCode).toBe(200);
    const ok = await app.inject({
      method: 'GET',
      url: '/api/series?indicator=IT.NET.USER.ZS&geo=KEN&from=2019&to=2019',
    });
    expect(ok.statusCode).toBe(200);
  }, 120_000);

  it('other methods are refused with a problem, not a crash', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH'] as const) {
      const r = await app.inject({ method, url: '/api/series?indicator=IT.NET.USER.ZS', payload: '{"x":' });
      expect(r.statusCode).toBeGreaterThanOrEqual(400);
      expect(r.statusCode).toBeLessThan(500);
    }
    const head = await app.inject({ method: 'HEAD', url: '/api/datasets' });
    expect(head.statusCode).toBe(200);
  });
});

describe('bounded query cost', () => {
  it('a query over the time limit is stopped (503 problem) and the server answers the next one', async () => {
    const strict = await buildApp({ store, limits: { timeoutMs: 1 } });
    try {
      const url =
        '/api/aggregates?indicator=i271mw,IT.NET.USER.ZS,IT.CEL.SETS&group=WORLD,LDC,DEVELOPED,DEVELOPING&year=1990-2024&fill=3';
      const r = await strict.inject({ method: 'GET', url });
      expect(r.statusCode).toBe(503);
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect((r.json() as { title: string }).title).toBe('Query timed out');
    } finally {
      await strict.close();
    }
    const next = await app.inject({ method: 'GET', url: '/api/datasets' });
    expect(next.statusCode).toBe(200);
  });

  it('too many waiting requests are refused with 503 and Retry-After', async () => {
    const small = await buildApp({ store, limits: { maxPending: 2 } });
    try {
      const url = (i: number) => `/api/series?indicator=IT.NET.USER.ZS&from=${1990 + i}`;
      const rs = await Promise.all(
        Array.from({ length: 12 }, (_, i) => small.inject({ method: 'GET', url: url(i) })),
      );
      const busy = rs.filter((r) => r.statusCode === 503);
      expect(busy.length).toBeGreaterThan(0);
      expect(busy[0]?.headers['retry-after']).toBe('1');
      expect(rs.filter((r) => r.statusCode === 200).length).toBeGreaterThanOrEqual(3);
    } finally {
      await small.close();
    }
  });
});
