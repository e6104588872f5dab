/**
 * The site inside the full server (buildApp with `web: webPlugin`): pages and API on one app,
 * page library calls through the server's query queue, the API's own 404s kept under /api, and the
 * pages' own Content-Security-Policy (the API's forbids everything).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import { loadBundled } from '../../src/store/ingest-files.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { PAGE_CSP, webPlugin } from '../../src/web/index.ts';
import { tmpDir } from '../helpers.ts';

const tmp = tmpDir();
let store: Store;
let app: Awaited<ReturnType<typeof buildApp>>;

beforeAll(async () => {
  store = await openStore({ path: join(tmp.dir, 'i.duckdb') });
  await loadBundled(store);
  app = await buildApp({ store, web: webPlugin });
}, 120_000);
afterAll(async () => {
  await app.close();
  store.close();
  tmp.cleanup();
});

describe('web plugin in the full server', () => {
  it('serves pages with their CSP beside the API', async () => {
    const page = await app.inject({ url: '/en/country/KEN' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toBe(PAGE_CSP);
    expect(page.body).toContain('Kenya');
    const css = /<link rel="stylesheet" href="([^"]+)"/.exec(page.body)![1]!;
    expect((await app.inject({ url: css })).statusCode).toBe(200);
    const api = await app.inject({ url: '/api/health' });
    expect(api.statusCode).toBe(200);
    expect(api.headers['content-type']).toMatch(/json/);
  });

  it('keeps the API’s problem+json for unknown API addresses; browsers get an HTML 404', async () => {
    const api = await app.inject({ url: '/api/nope' });
    expect(api.statusCode).toBe(404);
    expect(api.headers['content-type']).toMatch(/problem\+json/);
    const html = await app.inject({ url: '/de/', headers: { accept: 'text/html', 'accept-language': 'es' } });
    expect(html.statusCode).toBe(404);
    expect(html.body).toContain('<html lang="es"');
  });

  it('/ redirects each visitor by their own Accept-Language (no shared cached redirect)', async () => {
    for (const [al, to] of [
      ['ar', '/ar/'],
      ['fr-FR,fr;q=0.9', '/fr/'],
      ['zh-CN', '/zh/'],
      ['ar', '/ar/'],
    ] as const) {
      const r = await app.inject({ url: '/', headers: { 'accept-language': al } });
      expect(r.statusCode).toBe(302);
      expect(r.headers.location).toBe(to);
    }
  });

  it('page work goes through the server’s query queue', async () => {
    const q = app.pontis.queue;
    const run = q.run.bind(q);
    let calls = 0;
    q.run = <T>(fn: () => Promise<T>) => {
      calls++;
      return run(fn);
    };
    try {
      expect((await app.inject({ url: '/fr/compare?geo=KEN,LDC' })).statusCode).toBe(200);
    } finally {
      q.run = run;
    }
    expect(calls).toBeGreaterThan(0);
  });
});
