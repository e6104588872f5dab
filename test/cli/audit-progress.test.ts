/**
 * `pontis index audit` shows a progress bar when the audit takes over a second and stderr is a
 * terminal, and none when the output is piped. The terminal is a real pseudo-terminal made by
 * util-linux `script`, as in progress.test.ts. The audit runs on one thread, with enough Monte Carlo
 * and sensitivity runs (40,000 + 2,048 × 6) to take several seconds even on an idle machine (at
 * about 60 µs a run; with fewer, a quiet machine finished before the bar's first second).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers.ts';

const spec = join(ROOT, 'recipes/asem/asem.yaml');
const args = [
  'index',
  'audit',
  spec,
  '--runs',
  '40000',
  '--sensitivity-n',
  '2048',
  '--threads',
  '1',
  '--seed',
  '1',
];
const bar = /uncertainty and sensitivity(: \d+\/\d+ runs)? \[[#.]+\] \d+%/;

describe('audit progress bar', () => {
  it('is drawn on a terminal for a long audit, and the audit completes', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm' };
    delete env.CI;
    const cmd = [process.execPath, join(ROOT, 'bin/pontis.js'), ...args, '--csv'].join(' ');
    const t0 = Date.now();
    const r = spawnSync('script', ['-qec', cmd, '/dev/null'], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.status).toBe(0);
    expect(Date.now() - t0).toBeGreaterThan(2500); // long enough for the bar (shown after 1 s of audit)
    expect(r.stdout).toMatch(bar);
    expect(r.stdout).toMatch(/\d+\/\d+ runs/);
    // the listing follows: the rank intervals as CSV, one row per ASEM unit. (On one thread the
    // evaluation loop yields between chunks so that the bar's timer runs: before, no bar was drawn.)
    expect(r.stdout).toMatch(/name,unit,nominal,median/); // after the bar is cleared
    expect(r.stdout).toMatch(/^Switzerland,CHE,/m);
  }, 150_000);

  it('is not drawn when the output is piped (same audit)', async () => {
    const r = await runCli([...args, '--csv'], { CI: '' });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^name,unit,/);
    expect(r.stderr).not.toMatch(bar);
    expect(r.stderr).not.toMatch(/\[[#.]+\]/);
  }, 150_000);
});
