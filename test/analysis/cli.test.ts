/**
 * The divide commands through the real `pontis` executable against a store loaded with the
 * bundled data: --json / --csv output with method and coverage, and exit code 1 with a clear
 * message for bad input.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBundled } from '../../src/store/ingest-files.ts';
import { openStore } from '../../src/store/store.ts';
import { runCli, tmpDir } from '../helpers.ts';

const tmp = tmpDir();
let path: string;

beforeAll(async () => {
  path = join(tmp.dir, 'cli.duckdb');
  const store = await openStore({ path });
  await loadBundled(store);
  // Independent numbers for the checks below, computed while the store is open.
  const r = await store.db.one<{ num: number; den: number }>(
    `SELECT sum(a.value) AS num, sum(b.value) AS den
     FROM (SELECT DISTINCT geo FROM memberships WHERE group_code = 'DEVELOPED') m
     JOIN obs a ON a.geo = m.geo AND a.indicator = 'i271mw' AND a.year = 2019 AND a.sex = '_T'
     JOIN obs b ON b.geo = m.geo AND b.indicator = 'WPP.POP' AND b.year = 2019 AND b.sex = '_T'`,
  );
  developed = (r!.num / r!.den) * 100;
  store.close();
}, 120_000);
afterAll(() => tmp.cleanup());

let developed = Number.NaN;
const cli = (...args: string[]) => runCli(['--store', path, ...args]);

describe('pontis aggregate', () => {
  it('--json: values with coverage, method and sources; the preset states the resolution figures', async () => {
    const r = await cli('aggregate', '--preset', 'mobile-broadband-per-100', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      rows: Array<{
        group: string;
        value: number;
        published: number;
        population_share: number;
        countries: number;
      }>;
      method: { name: string };
      sources: Array<{ indicator: string; vintage: string }>;
      preset: { published: Record<string, { citation: string }> };
    };
    const dev = out.rows.find((x) => x.group === 'DEVELOPED')!;
    expect(dev.value).toBeCloseTo(developed, 3);
    expect(dev.published).toBe(122);
    expect(dev.population_share).toBeGreaterThan(0.9);
    expect(out.method.name).toBe('ratio-of-sums');
    expect(out.preset.published.LDC!.citation).toMatch(/A\/RES\/75\/202 para\. 16/);
    expect(out.sources.map((s) => s.indicator).sort()).toEqual(['WPP.POP', 'i271mw']);
  });

  it('the explicit form gives the same number; the table prints method, coverage and sources under it', async () => {
    const r = await cli(
      'aggregate',
      '--indicator',
      'i271mw',
      '--denominator',
      'WPP.POP',
      '--scale',
      '100',
      '--groups',
      'developed,developing,ldc',
      '--year',
      '2019',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^indicator\s+group\s+year\s+status\s+value/);
    expect(r.stdout).toContain(`DEVELOPED   2019  ok      ${developed.toFixed(4)}`);
    expect(r.stdout).toMatch(/method: ratio-of-sums/);
    expect(r.stdout).toMatch(/coverage: /);
    expect(r.stdout).toMatch(/i271mw: ITU .*vintage 2024-03-22/);
  });

  it('--csv has one line per group with its coverage columns', async () => {
    const r = await cli(
      'aggregate',
      '--indicator',
      'i271mw',
      '--denominator',
      'WPP.POP',
      '--groups',
      'ldc,developed',
      '--year',
      '2019',
      '--csv',
    );
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe(
      'indicator,group,year,status,value,countries,members,population_share,filled,reason',
    );
    expect(lines).toHaveLength(3);
  });

  it.each([
    [['--indicator', 'NOPE', '--groups', 'ldc', '--year', '2019'], /unknown indicator NOPE/],
    [['--indicator', 'i271mw', '--groups', 'nogroup', '--year', '2019'], /unknown group nogroup/],
    [['--indicator', 'i271mw', '--groups', 'ldc', '--year', '1990'], /no data for 1990/],
    [
      ['--indicator', 'IT.NET.USER.ZS', '--weight', 'GB_POP_SCIERD', '--groups', 'ldc', '--year', '2021'],
      /weight GB_POP_SCIERD has no data for 2021/,
    ],
    [
      ['--indicator', 'SP.POP.TOTL', '--groups', 'WB_L', '--year', '1985'],
      /group WB_L has no members on 1985-07-01/,
    ],
  ])('bad input %j → exit 1 and a clear message', async (args, message) => {
    const r = await cli('aggregate', ...args);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/NaN|internal error/);
    expect(r.stdout).toBe('');
  });
});

describe('pontis gap / inequality / progress / affordability', () => {
  it('gap --preset internet-gender-gap: world shown with its coverage, LDCs withheld with the reason', async () => {
    const r = await cli('gap', '--preset', 'internet-gender-gap', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      rows: Array<{
        geo: string;
        status: string;
        gap: number | null;
        population_share: number;
        published_gap: number;
        reason: string | null;
      }>;
    };
    const world = out.rows.find((x) => x.geo === 'WORLD')!;
    const ldc = out.rows.find((x) => x.geo === 'LDC')!;
    expect(world.status).toBe('ok');
    expect(world.published_gap).toBe(0.17);
    expect(world.population_share).toBeGreaterThan(0.5);
    expect(ldc.status).toBe('withheld');
    expect(ldc.gap).toBeNull();
    expect(ldc.reason).toMatch(/below the minimum/);
  });

  it('inequality, progress and affordability run and print their method', async () => {
    const a = await cli('inequality', '--indicator', 'IT.NET.USER.ZS', '--year', '2019', '--by', 'income');
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/theil between/);
    const b = await cli('progress', '--indicator', 'IT.NET.USER.ZS', '--geo', 'KEN', '--csv');
    expect(b.code).toBe(0);
    expect(b.stdout.split('\n')[0]).toMatch(/^target,target_value/);
    const c = await cli('affordability', '--year', '2024', '--json');
    expect(c.code).toBe(0);
    expect((JSON.parse(c.stdout) as { rows: unknown[] }).rows).toHaveLength(4);
    const d = await cli('gap', '--indicator', 'IT.NET.USER.ZS', '--geo', 'ATLANTIS', '--year', '2019');
    expect(d.code).toBe(1);
    expect(d.stderr).toMatch(/unknown country or group ATLANTIS/);
  });
});
