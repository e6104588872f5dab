/**
 * `pontis serve` as a process: first start creates the store with the bundled data, the port comes
 * from --port or PORT, the API answers over real HTTP, and SIGTERM / SIGINT shut it down cleanly.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, tmpDir } from '../helpers.ts';

const tmp = tmpDir();
afterAll(() => tmp.cleanup());

interface Served {
  child: ChildProcess;
  url: string;
  stderr: () => string;
}

function serve(args: string[], env: Record<string, string> = {}): Promise<Served> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/pontis.js'), 'serve', ...args], {
      cwd: ROOT,
      env: {
        ...process.env,
        PONTIS_STORE: join(tmp.dir, 'p.duckdb'),
        PONTIS_REGISTRY: join(tmp.dir, 'registry'),
        CI: 'true',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
      const m = /serving the API on (http:\/\/\S+)\/api\/docs/.exec(err);
      if (m?.[1]) resolve({ child, url: m[1].replace('localhost', '127.0.0.1'), stderr: () => err });
    });
    child.on('close', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
  });
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));

describe('pontis serve', () => {
  it('first start loads the bundled data, serves on PORT, and stops on SIGTERM', async () => {
    const s = await serve([], { PORT: '0' });
    try {
      expect(s.stderr()).toContain('first start');
      const r = await fetch(`${s.url}/api/series?indicator=IT.NET.USER.ZS&geo=KEN&from=2019&to=2019`);
      expect(r.status).toBe(200);
      const body = (await r.json()) as { total: number };
      expect(body.total).toBe(1);
      // The registry, seeded on first start, beside the observatory.
      const reg = await fetch(`${s.url}/api/registry/records?q=health&kind=offer`);
      expect(reg.status).toBe(200);
      expect(((await reg.json()) as { total: number }).total).toBeGreaterThan(0);
      const page = await fetch(`${s.url}/ar/registry`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('dir="rtl"');
      const p = await fetch(`${s.url}/api/nope`);
      expect(p.status).toBe(404);
      expect(p.headers.get('content-type')).toMatch(/problem\+json/);
    } finally {
      const done = exited(s.child);
      s.child.kill('SIGTERM');
      expect(await done).toBe(0);
    }
    expect(s.stderr()).toContain('SIGTERM, closing the server');
  }, 120_000);

  it('--port overrides PORT; SIGINT stops it; a bad port is a usage error', async () => {
    const s = await serve(['--port', '0'], { PORT: '1' });
    try {
      expect(s.stderr()).not.toContain('first start');
      const r = await fetch(`${s.url}/api/datasets`);
      expect(r.status).toBe(200);
    } finally {
      const done = exited(s.child);
      s.child.kill('SIGINT');
      expect(await done).toBe(0);
    }
    await expect(serve(['--port', '70000'])).rejects.toThrow(/exited with 2/);
  }, 120_000);
});
