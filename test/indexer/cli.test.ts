/** `pontis index build|audit` end to end (in-process), on the ASEM recipe. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { run } from '../../src/cli/program.ts';

const spec = new URL('../../recipes/asem/asem.yaml', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'pontis-index-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function pontis(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out += String(s);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    err += String(s);
    return true;
  });
  try {
    const code = await run(['node', 'pontis', ...args]);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe('pontis index', () => {
  it('build writes scores, ranks and every stage as CSV (units as rows)', async () => {
    const out = join(dir, 'build');
    const r = await pontis('index', 'build', spec, '--out', out, '--csv');
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe('unit,name,rank,score');
    expect(r.out.split('\n')[1]).toMatch(/^CHE,Switzerland,1,68\.38/);
    const agg = readFileSync(join(out, 'aggregated.csv'), 'utf8').trim().split('\n');
    expect(agg).toHaveLength(52);
    expect(agg[0]?.split(',').slice(0, 3)).toEqual(['unit', 'name', 'LPI']);
    expect(agg[0]?.split(',').at(-1)).toBe('Index');
    for (const f of [
      'raw',
      'denominated',
      'imputed',
      'screened',
      'treated',
      'normalised',
      'contributions',
      'treatment',
    ]) {
      expect(readFileSync(join(out, `${f}.csv`), 'utf8').length).toBeGreaterThan(100);
    }
    const scores = readFileSync(join(out, 'scores.csv'), 'utf8').split('\n');
    expect(scores[0]).toBe(
      'unit,name,rank,score,Physical,ConEcFin,Political,Instit,P2P,Conn,Environ,Social,SusEcFin,Sust',
    );
  });

  it('audit writes statistics, correlations, alpha, PCA, rank intervals and sensitivity indices', async () => {
    const out = join(dir, 'audit');
    const r = await pontis(
      'index',
      'audit',
      spec,
      '--runs',
      '64',
      '--sensitivity-n',
      '16',
      '--seed',
      '3',
      '--threads',
      '1',
      '--out',
      out,
      '--json',
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as {
      rows: { unit: string; median: number }[];
      seed: number;
      factors: string[];
    };
    expect(j.seed).toBe(3);
    expect(j.rows).toHaveLength(51);
    expect(j.factors).toContain('weights');
    const sens = readFileSync(join(out, 'sensitivity.csv'), 'utf8').split('\n');
    expect(sens[0]).toBe('factor,first,firstLow,firstHigh,total,totalLow,totalHigh');
    expect(sens).toHaveLength(7); // header, 5 factors, trailing newline
    for (const f of [
      'statistics-raw',
      'correlations',
      'aggregates',
      'effective-weights',
      'removal',
      'rank-intervals',
    ]) {
      expect(readFileSync(join(out, `${f}.csv`), 'utf8').split('\n').length).toBeGreaterThan(3);
    }
  }, 60_000);

  it('reports usage and input errors with the right exit codes', async () => {
    expect((await pontis('index', 'build', spec, '--from-store')).code).toBe(2);
    const bad = await pontis('index', 'build', join(dir, 'missing.yaml'));
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/missing\.yaml: cannot read/);
  });
});
