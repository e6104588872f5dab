import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PontisError } from '../../src/core/errors.ts';
import { DIRECTION_SIGN, parseTargets, targetById, targetsFor } from '../../src/stats/index.ts';
import { expectPontisError } from './helpers.ts';

const HEADER = 'id,indicator,geo,target,year,direction,unit,source,url,note';
const ok = `${HEADER}
bb-t3-ldc,IT.NET.USER.ZS,LDC,35,2025,higher,%,Broadband Commission,https://example.org/t3,
bb-t2,i271mb_2GB_GNI,DEVELOPING,2,2025,lower,%,Broadband Commission,https://example.org/t2,"strictly less than 2%, fixed or mobile"
umc-use,IT.NET.USER.ZS,*,100,2030,higher,%,ITU/OSET,https://example.org/umc,
`;

describe('targets registry parser', () => {
  it('parses and types every field, with its line', () => {
    const t = parseTargets(ok);
    expect(t).toHaveLength(3);
    expect(t[1]).toEqual({
      id: 'bb-t2',
      indicator: 'i271mb_2GB_GNI',
      geo: 'DEVELOPING',
      target: 2,
      year: 2025,
      direction: 'lower',
      unit: '%',
      source: 'Broadband Commission',
      url: 'https://example.org/t2',
      note: 'strictly less than 2%, fixed or mobile',
      line: 3,
    });
    expect(DIRECTION_SIGN[t[1]!.direction]).toBe(-1);
  });

  it('finds targets for a group first by exact geo, then the "*" default', () => {
    const t = parseTargets(ok);
    expect(targetsFor(t, 'IT.NET.USER.ZS', 'LDC').map((x) => x.id)).toEqual(['bb-t3-ldc']);
    expect(targetsFor(t, 'IT.NET.USER.ZS', 'WORLD').map((x) => x.id)).toEqual(['umc-use']);
    expect(targetById(t, 'umc-use').year).toBe(2030);
    expectPontisError(() => targetById(t, 'nope'), 'invalid_input', 'target');
  });

  it('names the line and field of a bad value', () => {
    const bad = ok.replace('2025,lower', '2025,down');
    const e = expectPontisError(
      () => parseTargets(bad, { file: 'data/targets.csv' }),
      'invalid_input',
      'direction',
    );
    expect(e.location).toEqual({ file: 'data/targets.csv', line: 3, field: 'direction' });
    expect(e.toString()).toBe("data/targets.csv:3: direction: 'down' must be higher, lower or parity");
  });

  it('reports every bad row in details and counts them in the message', () => {
    const bad = `${HEADER}
x,IT.NET.USER.ZS,LDC,lots,2025,higher,%,S,https://e.org,
x,IT.NET.USER.ZS,ldc,35,1999,higher,%,S,ftp://e.org,
y,IT.NET.USER.ZS,LDC,35,2025,higher,%,,https://e.org,
`;
    const e = expectPontisError(() => parseTargets(bad), 'invalid_input', 'target');
    expect(e.location.line).toBe(2);
    const fields = (e.details as Array<{ line: number; field: string }>).map((i) => `${i.line}:${i.field}`);
    expect(fields).toEqual(['2:target', '3:id', '3:geo', '3:year', '3:url', '4:source']);
    expect(e.message).toMatch(/\(and 5 more\)$/);
  });

  it('rejects a wrong header, a short row, unknown geos when known sets are given, and broken CSV', () => {
    expectPontisError(() => parseTargets('id,indicator\nx,y\n'), 'invalid_input', 'header');
    expectPontisError(() => parseTargets(`${HEADER}\na,b,LDC\n`), 'invalid_input', 'row');
    const e = expectPontisError(
      () => parseTargets(ok, { knownGeos: new Set(['AFG']), knownGroups: new Set(['LDC', 'WORLD']) }),
      'invalid_input',
      'geo',
    );
    expect(e.message).toMatch(/unknown country or group 'DEVELOPING'/);
    expect(() => parseTargets(`${HEADER}\n"unterminated,IT,LDC\n`)).toThrow(PontisError);
    expectPontisError(() => parseTargets(''), 'invalid_input');
  });

  it('the seeded data/targets.csv is valid against the bundled groups and indicators', () => {
    const text = readFileSync(new URL('../../data/targets.csv', import.meta.url), 'utf8');
    const groups = new Set(
      readFileSync(new URL('../../data/groups.csv', import.meta.url), 'utf8')
        .split('\n')
        .slice(1)
        .map((l) => l.split(',')[0]!)
        .filter(Boolean),
    );
    const t = parseTargets(text, { file: 'data/targets.csv', knownGroups: groups, knownGeos: new Set() });
    expect(t.length).toBeGreaterThanOrEqual(10);
    const indicators = new Set(
      readFileSync(new URL('../../data/indicators.csv', import.meta.url), 'utf8')
        .split('\n')
        .slice(1)
        .map((l) => l.split(',')[0]!),
    );
    // Every target names a bundled indicator, or the derived gender parity score of Internet use.
    for (const x of t) expect(indicators.has(x.indicator) || x.indicator === 'IT.NET.USER.GPS').toBe(true);
    expect(targetById(t, 'bbcom-2025-t3-ldc')).toMatchObject({
      geo: 'LDC',
      target: 35,
      year: 2025,
      direction: 'higher',
    });
    expect(targetById(t, 'bbcom-2025-t2-mobile')).toMatchObject({ target: 2, direction: 'lower' });
  });
});
