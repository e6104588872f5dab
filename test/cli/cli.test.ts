/**
 * The `pontis` executable, run as a user runs it: exit codes, --json / --csv on listings,
 * automatic first-start load, ingest reports, export and rebuild.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tmpDir } from '../helpers.ts';

const tmp = tmpDir('pontis-cli-');
const store = join(tmp.dir, 'store.duckdb');
const cli = (...args: string[]) => runCli(['--store', store, ...args]);

beforeAll(async () => {
  const r = await cli('init');
  expect(r.code).toBe(0);
  expect(r.stderr).toMatch(/loading the bundled data/);
}, 120_000);
afterAll(() => tmp.cleanup());

describe('help and usage errors', () => {
  it('--help documents the commands and the exit codes, exit 0', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['ingest', 'indicators', 'series', 'groups', 'datasets', 'export'])
      expect(r.stdout).toContain(c);
    expect(r.stdout).toMatch(/0\s+success/);
    expect(r.stdout).toMatch(/1\s+invalid input/);
    expect(r.stdout).toMatch(/2\s+usage error/);
  });
  it('an unknown command or option, a missing required option or a bad year is a usage error: exit 2', async () => {
    expect((await cli('frobnicate')).code).toBe(2);
    expect((await cli('indicators', '--frob')).code).toBe(2);
    expect((await cli('series')).code).toBe(2);
    const r = await cli('series', '--indicator', 'IT.NET.USER.ZS', '--from', '20x9');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/four-digit year/);
    expect((await cli('series', '--indicator', 'IT.NET.USER.ZS', '--dim', 'colour=red')).code).toBe(2);
  });
  it('an unknown indicator, country or group is invalid input: exit 1 with a suggestion', async () => {
    const r = await cli('series', '--indicator', 'IT.NET.USER.Z');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unknown indicator IT.NET.USER.Z \(did you mean .*IT.NET.USER.ZS/);
    expect((await cli('series', '--indicator', 'IT.NET.USER.ZS', '--geo', 'ZZZ')).code).toBe(1);
    expect((await cli('groups', 'NOSUCHGROUP')).code).toBe(1);
  });
});

describe('listings in three forms', () => {
  it('series --json gives the rows of the store; --csv the same rows', async () => {
    const j = await cli(
      'series',
      '--indicator',
      'IT.NET.USER.ZS',
      '--geo',
      'KEN,BRA',
      '--from',
      '2018',
      '--to',
      '2019',
      '--json',
    );
    expect(j.code).toBe(0);
    const rows = JSON.parse(j.stdout) as { geo: string; period: string; value: number; vintage: string }[];
    expect(rows.map((r) => `${r.geo}${r.period}`)).toEqual(['BRA2018', 'BRA2019', 'KEN2018', 'KEN2019']);
    const c = await cli(
      'series',
      '--indicator',
      'IT.NET.USER.ZS',
      '--geo',
      'KEN,BRA',
      '--from',
      '2018',
      '--to',
      '2019',
      '--csv',
    );
    const csvRows = parse(c.stdout, { columns: true }) as Record<string, string>[];
    expect(csvRows.map((r) => Number(r.value))).toEqual(rows.map((r) => r.value));
    expect(csvRows[0]!.vintage).toBe(rows[0]!.vintage);
    const t = await cli(
      'series',
      '--indicator',
      'IT.NET.USER.ZS',
      '--geo',
      'KEN',
      '--from',
      '2019',
      '--to',
      '2019',
    );
    expect(t.stdout).toMatch(/KEN\s+Kenya\s+2019/);
  });
  it('--dim sex=F selects the female breakdown; the WDI female code gives the same rows', async () => {
    const a = JSON.parse(
      (await cli('series', '--indicator', 'IT.NET.USER.ZS', '--geo', 'IND', '--dim', 'sex=F', '--json'))
        .stdout,
    );
    const b = JSON.parse(
      (await cli('series', '--indicator', 'IT.NET.USER.FE.ZS', '--geo', 'IND', '--json')).stdout,
    );
    expect(a.length).toBeGreaterThan(0);
    expect(a.map((r: { value: number }) => r.value)).toEqual(b.map((r: { value: number }) => r.value));
    expect(a.every((r: { sex: string }) => r.sex === 'F')).toBe(true);
  });
  it('indicators --search, groups --year, datasets: JSON and CSV', async () => {
    const ind = JSON.parse((await cli('indicators', '--search', 'broadband', '--json')).stdout) as {
      code: string;
    }[];
    expect(ind.map((i) => i.code)).toContain('i271mw');
    const g = JSON.parse((await cli('groups', 'LDC', '--year', '2019', '--json')).stdout) as {
      geo: string;
    }[];
    expect(g).toHaveLength(47);
    const g2021 = parse((await cli('groups', 'LDC', '--year', '2021', '--csv')).stdout, {
      columns: true,
    }) as { geo: string }[];
    expect(g2021.map((r) => r.geo)).not.toContain('VUT');
    const ds = parse((await cli('datasets', '--csv')).stdout, { columns: true }) as { rows: string }[];
    expect(ds).toHaveLength(6);
  });
});

describe('ingest', () => {
  it('a file with an invalid row loads nothing, lists file:line: field: reason, exit 1', async () => {
    const f = join(tmp.dir, 'bad.csv');
    writeFileSync(f, 'indicator,geo,period,value\nMY.IND,KEN,2019,1\nMY.IND,KEN,2020,n/a\n');
    const r = await cli('ingest', f);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${f}:3: value: non-numeric value 'n/a'`);
    const s = await cli('series', '--indicator', 'MY.IND');
    expect(s.code).toBe(1); // the indicator was not registered: nothing was written
  });
  it('--skip-invalid loads the valid rows; a second load of the same file changes nothing', async () => {
    const f = join(tmp.dir, 'bad2.csv');
    writeFileSync(f, 'indicator,geo,period,value\nMY.IND2,KEN,2019,1.5\nMY.IND2,KEN,2020,n/a\n');
    const r = await cli('ingest', f, '--skip-invalid', '--json');
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.stdout)[0];
    expect(rep).toMatchObject({ status: 'loaded', loaded: 1, rejected: 1 });
    const again = await cli('ingest', f, '--skip-invalid', '--json');
    expect(JSON.parse(again.stdout)[0]).toMatchObject({ status: 'unchanged', dataset: rep.dataset });
    const s = JSON.parse((await cli('series', '--indicator', 'MY.IND2', '--json')).stdout);
    expect(s).toEqual([expect.objectContaining({ geo: 'KEN', period: '2019', value: 1.5 })]);
  });
  it('lists the first 50 rejected rows, then a count', async () => {
    const f = join(tmp.dir, 'many.csv');
    const lines = ['indicator,geo,period,value'];
    for (let i = 0; i < 60; i++) lines.push(`MY.IND3,KEN,${1950 + i},x${i}`);
    writeFileSync(f, `${lines.join('\n')}\n`);
    const r = await cli('ingest', f);
    expect(r.code).toBe(1);
    expect(r.stderr.match(/non-numeric value/g)).toHaveLength(50);
    expect(r.stderr).toMatch(/and 10 more/);
  });
  it('a wrong header or an empty file is invalid input naming the file', async () => {
    const f = join(tmp.dir, 'hdr.csv');
    writeFileSync(f, 'country,year,val\nKEN,2019,1\n');
    const r = await cli('ingest', f, '--format', 'tidy-csv');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(f);
    const e = join(tmp.dir, 'empty.csv');
    writeFileSync(e, '');
    const r2 = await cli('ingest', e);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toMatch(/empty/);
  });
});

describe('export and rebuild', () => {
  it('export --out CSV writes the observations with provenance; export --all + rebuild restores the store', async () => {
    const out = join(tmp.dir, 'net.csv');
    expect((await cli('export', '--indicator', 'IT.NET.USER.ZS', '--geo', 'KEN', '--out', out)).code).toBe(0);
    const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    const series = JSON.parse(
      (await cli('series', '--indicator', 'IT.NET.USER.ZS', '--geo', 'KEN', '--dim', 'sex=*', '--json'))
        .stdout,
    );
    expect(rows).toHaveLength(series.length);
    expect(rows[0]!.licence).toBe('CC BY 4.0');
    const dir = join(tmp.dir, 'all');
    expect((await cli('export', '--all', '--out', dir)).code).toBe(0);
    const copy = join(tmp.dir, 'copy.duckdb');
    const rb = await runCli(['--store', copy, 'rebuild', dir]);
    expect(rb.code).toBe(0);
    const a = await cli('datasets', '--json');
    const b = await runCli(['--store', copy, 'datasets', '--json']);
    expect(JSON.parse(b.stdout)).toEqual(JSON.parse(a.stdout));
  });
});
