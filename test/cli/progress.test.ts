/**
 * A load that takes over a second shows a progress bar on a terminal (and none when output is not
 * a terminal). The terminal is a real pseudo-terminal made by util-linux `script`.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli, tmpDir } from '../helpers.ts';

const tmp = tmpDir('pontis-progress-');
const store = join(tmp.dir, 'store.duckdb');
const big = join(tmp.dir, 'big.csv');

beforeAll(async () => {
  expect((await runCli(['--store', store, 'init', '--no-data'])).code).toBe(0);
  const ws = createWriteStream(big);
  ws.write('indicator,geo,period,value\n');
  const geos = ['KEN', 'IND', 'BRA', 'FRA', 'JPN', 'NGA', 'USA', 'CHN', 'DEU', 'ZAF'];
  let buf = '';
  // Four million rows, enough for a load of several seconds on this machine.
  for (let i = 0; i < 4_000_000; i++) {
    buf += `P.${Math.floor(i / 640)},${geos[i % 10]},${1960 + (Math.floor(i / 10) % 64)},${i % 997}\n`;
    if (buf.length > 1 << 20) {
      if (!ws.write(buf)) await new Promise<void>((r) => ws.once('drain', () => r()));
      buf = '';
    }
  }
  ws.end(buf);
  await new Promise<void>((r) => ws.on('finish', () => r()));
}, 120_000);
afterAll(() => tmp.cleanup());

describe('progress bar', () => {
  it('is drawn on a terminal for a load over a second, and the load completes', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm' };
    delete env.CI;
    const cmd = `${process.execPath} ${join(ROOT, 'bin/pontis.js')} --store ${store} ingest ${big}`;
    const r = spawnSync('script', ['-qec', cmd, '/dev/null'], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
      timeout: 180_000,
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/loading .*big\.csv.*\[[#.]+\] \d+%/);
    expect(r.stdout).toMatch(/loaded 4000000 observations/);
  }, 200_000);

  it('is not drawn when stderr is not a terminal (same multi-second load, into a new store)', async () => {
    const other = join(tmp.dir, 'other.duckdb');
    expect((await runCli(['--store', other, 'init', '--no-data'])).code).toBe(0);
    const r = await runCli(['--store', other, 'ingest', big]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/loaded 4000000 observations/);
    expect(r.stderr).not.toMatch(/\[[#.]+\] \d+%/);
  }, 200_000);
});
