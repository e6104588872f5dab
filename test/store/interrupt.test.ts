/**
 * An interrupted load leaves the store exactly as it was: the load runs in one DuckDB transaction,
 * and DuckDB never makes an uncommitted transaction durable. The test kills `pontis ingest` with
 * SIGKILL at several moments of a multi-second load (and once with Ctrl-C, SIGINT), then reopens
 * the store and compares it with its state before.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/store.ts';
import { ROOT, runCli, tmpDir } from '../helpers.ts';

const tmp = tmpDir('pontis-kill-');
const store = join(tmp.dir, 'store.duckdb');
// A second store for the Ctrl-C test: a SIGKILL that came too late leaves the file loaded in the first.
const store2 = join(tmp.dir, 'store2.duckdb');
const big = join(tmp.dir, 'big.csv');
const ROWS = 4_000_000;

async function writeBig(): Promise<void> {
  const ws = createWriteStream(big);
  const geos = ['KEN', 'IND', 'BRA', 'FRA', 'JPN', 'NGA', 'USA', 'CHN', 'DEU', 'ZAF'];
  ws.write('indicator,geo,period,value\n');
  let buf = '';
  for (let i = 0; i < ROWS; i++) {
    // Unique keys: indicator k, geo, year; values are arbitrary (this is a load test).
    buf += `KILL.${Math.floor(i / 640)},${geos[i % 10]},${1960 + (Math.floor(i / 10) % 64)},${i % 997}\n`;
    if (buf.length > 1 << 20) {
      if (!ws.write(buf)) await new Promise<void>((r) => ws.once('drain', () => r()));
      buf = '';
    }
  }
  ws.end(buf);
  await new Promise<void>((r) => ws.on('finish', () => r()));
}

async function snapshot(path = store) {
  const s = await openStore({ path });
  try {
    return await s.db.all<{ obs: number; datasets: number; indicators: number; total: unknown }>(
      `SELECT (SELECT count(*) FROM observations) AS obs, (SELECT count(*) FROM datasets) AS datasets,
              (SELECT count(*) FROM indicators) AS indicators, (SELECT sum(CAST(value AS DECIMAL(38, 6))) FROM observations) AS total`,
    );
  } finally {
    s.close();
  }
}

/**
 * Runs `pontis ingest` and sends `signal` after `delayMs`, counted from the start or, with `after`,
 * from the moment the child's statement trace (PONTIS_TRACE) shows a statement matching it.
 */
function ingestAndSignal(
  delayMs: number,
  signal: NodeJS.Signals,
  options: { store?: string; after?: RegExp } = {},
): Promise<{ code: number | null; killed: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'bin/pontis.js'), '--store', options.store ?? store, 'ingest', big],
      {
        cwd: ROOT,
        env: { ...process.env, CI: 'true', ...(options.after ? { PONTIS_TRACE: '1' } : {}) },
        stdio: ['ignore', 'ignore', options.after ? 'pipe' : 'ignore'],
      },
    );
    let killed = false;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      timer = setTimeout(() => {
        killed = child.exitCode === null;
        child.kill(signal);
      }, delayMs);
    };
    if (options.after) {
      let seen = '';
      child.stderr?.on('data', (d: Buffer) => {
        if (timer) return;
        seen = (seen + d.toString()).slice(-4096);
        if (options.after?.test(seen)) arm();
      });
    } else arm();
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, killed });
    });
  });
}

beforeAll(async () => {
  expect((await runCli(['--store', store, 'init', '--no-data'])).code).toBe(0);
  expect((await runCli(['--store', store2, 'init', '--no-data'])).code).toBe(0);
  await writeBig();
}, 120_000);
afterAll(() => tmp.cleanup());

describe('interrupted loads', () => {
  it('SIGKILL at any moment of the load leaves the store unchanged', async () => {
    const before = await snapshot();
    // Once for certain while the rows are being inserted (from the statement trace), then at fixed
    // moments from the start, which may fall before, during or after the transaction.
    const mid = await ingestAndSignal(300, 'SIGKILL', { after: /INSERT INTO datasets/ });
    expect(mid.killed).toBe(true);
    expect(await snapshot()).toEqual(before);
    let interrupted = 0;
    for (const delay of [700, 1500, 2500, 4000]) {
      const r = await ingestAndSignal(delay, 'SIGKILL');
      const after = await snapshot();
      const finished = { obs: before[0]!.obs + ROWS, datasets: before[0]!.datasets + 1 };
      if (r.killed && r.code !== 0 && after[0]!.obs === before[0]!.obs) {
        interrupted++;
        expect(after).toEqual(before);
        continue;
      }
      // Either the load finished before the signal, or the signal came after its COMMIT and
      // before the process exited (closing the store, printing the report). Either way the load
      // is complete, never partial.
      expect({ obs: after[0]!.obs, datasets: after[0]!.datasets }).toEqual(finished);
      break;
    }
    expect(interrupted).toBeGreaterThan(0);
  }, 180_000);

  it('Ctrl-C (SIGINT) stops the load with a non-zero exit and leaves the store unchanged', async () => {
    // Sent while the rows are being inserted: 300 ms after the load's transaction recorded its dataset.
    const before = await snapshot(store2);
    const r = await ingestAndSignal(300, 'SIGINT', { store: store2, after: /INSERT INTO datasets/ });
    expect(r.killed).toBe(true);
    expect(r.code).not.toBe(0);
    expect(await snapshot(store2)).toEqual(before);
  }, 120_000);
});
