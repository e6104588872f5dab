import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PontisError } from '../../src/core/errors.ts';
import type { RegistryDb } from '../../src/registry/db.ts';
import { exportCsv, exportRegistry, importRegistry, parseImport } from '../../src/registry/import.ts';
import { SEED_FILE } from '../../src/registry/open.ts';
import { BACKENDS } from './backends.ts';
import { rejects } from './fixtures.ts';

const SEED = readFileSync(SEED_FILE, 'utf8');
const seedDoc = JSON.parse(SEED) as { organisations: unknown[]; records: { key: string; kind: string }[] };

const count = async (db: RegistryDb, table: string) =>
  (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n;

const CSV_HEADER =
  'key,kind,status,organisation,original_lang,title_en,title_fr,summary_en,sdgs,countries,sectors,readiness,licence,transfer_terms,url';

describe.each(BACKENDS)('registry import and export on $name', (backend) => {
  let db: RegistryDb;
  beforeAll(async () => {
    db = await backend.open();
  });
  afterAll(async () => db?.close());

  it('imports the seed file, and importing it again changes nothing', async () => {
    const r = await importRegistry(db, 'seed.json', SEED);
    expect(r.records.created).toBe(seedDoc.records.length);
    expect(r.organisations.created).toBe(seedDoc.organisations.length);
    expect(await count(db, 'records')).toBe(seedDoc.records.length);
    const again = await importRegistry(db, 'seed.json', SEED);
    expect(again.records).toEqual({ created: 0, updated: 0, unchanged: seedDoc.records.length });
    expect(again.organisations).toEqual({ created: 0, updated: 0, unchanged: seedDoc.organisations.length });
    expect(await count(db, 'records')).toBe(seedDoc.records.length);
    const published = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM records WHERE status = 'published'",
    );
    expect(published[0]!.n).toBe(seedDoc.records.length);
  });

  it('an export imports back into an empty registry unchanged (JSON and CSV)', async () => {
    const e1 = await exportRegistry(db);
    expect(e1.records.map((r) => r.key).sort()).toEqual(seedDoc.records.map((r) => r.key).sort());
    const other = await backend.open();
    try {
      await importRegistry(other, 'export.json', JSON.stringify(e1));
      const e2 = await exportRegistry(other);
      expect(e2).toEqual(e1);
      // CSV: organisations are referred to by name, so they must exist: they do now.
      const csv = exportCsv(e1);
      const r = await importRegistry(other, 'export.csv', csv);
      expect(r.records).toEqual({ created: 0, updated: 0, unchanged: e1.records.length });
    } finally {
      await other.close();
    }
  });

  it('a CSV with one bad row writes nothing and names file, line, field and reason', async () => {
    const before = await count(db, 'records');
    const auditBefore = await count(db, 'audit_log');
    const csv = [
      CSV_HEADER,
      'solar-pumps,offer,published,,en,Solar irrigation pumps,,Pumps for smallholder farms.,2;7,KEN;TZA,agriculture;energy,8,,licence_fee,',
      'bad-country,need,,,en,Cold storage,,For markets.,2,KEN;XXX,agriculture,,,,',
      'bad-kind,gift,,,en,Something,,Else.,,,,,,,',
      'bad-ready,offer,,,en,Drones,,Mapping.,18,,,12,,,',
      'solar-pumps,offer,,,en,Dup,,Dup.,,,,,,,',
    ].join('\n');
    const e = await rejects(importRegistry(db, 'needs.csv', csv));
    expect(e.code).toBe('invalid_input');
    const lines = e.message.split('\n');
    expect(lines[0]).toBe('needs.csv: 4 invalid row(s), 5 problem(s); nothing was imported');
    expect(lines).toContain("needs.csv:3: countries.1: unknown country code 'XXX'");
    expect(lines.some((l) => l.startsWith('needs.csv:4: kind: '))).toBe(true);
    expect(lines.some((l) => l.startsWith('needs.csv:5: sdgs.0: '))).toBe(true);
    expect(lines.some((l) => l.startsWith('needs.csv:5: readiness: '))).toBe(true);
    expect(lines).toContain("needs.csv:6: key: key 'solar-pumps' appears twice");
    expect(await count(db, 'records')).toBe(before);
    expect(await count(db, 'audit_log')).toBe(auditBefore);
  });

  it('a valid CSV loads; an unknown organisation is refused', async () => {
    const ok = [
      CSV_HEADER,
      'csv-solar,offer,published,,en,Solar irrigation pumps,Pompes solaires,Pumps.,2;7,KEN,agriculture,8,MIT,,https://example.org/pumps',
    ].join('\n');
    const r = await importRegistry(db, 'ok.csv', ok);
    expect(r.records.created).toBe(1);
    const row = (
      await db.query<{ title: Record<string, string>; sdgs: number[]; regions: string[]; licence: string }>(
        "SELECT title, sdgs, regions, licence FROM records WHERE import_key = 'csv-solar'",
      )
    )[0]!;
    expect(row.title).toEqual({ en: 'Solar irrigation pumps', fr: 'Pompes solaires' });
    expect(row.sdgs).toEqual([2, 7]);
    expect(row.regions).toEqual(['M49_002', 'M49_014', 'M49_202']);
    expect(row.licence).toBe('MIT');
    const bad = [CSV_HEADER, 'csv-x,offer,,Nobody Inc,en,X,,Y.,,,,,,,'].join('\n');
    const e = await rejects(importRegistry(db, 'org.csv', bad));
    expect(e.toString()).toBe(
      "org.csv:2: organisation: unknown organisation 'Nobody Inc'; nothing was imported",
    );
    expect((await db.query("SELECT 1 FROM records WHERE import_key = 'csv-x'")).length).toBe(0);
  });
});

describe('malformed import files', () => {
  const cases: [string, string, RegExp][] = [
    ['empty.json', '', /the file is empty/],
    ['truncated.json', SEED.slice(0, 500), /not valid JSON/],
    ['shape.json', '{"recs": []}', /unknown top-level field 'recs'/],
    [
      'nokey.json',
      '[{"kind":"offer","title":{"en":"A"},"summary":{"en":"B"},"originalLang":"en"}]',
      /records\.0\.key/,
    ],
    ['header.csv', 'key,kind,colour\na,offer,red', /unknown column 'colour'/],
    ['missing.csv', 'key,title_en\na,Hello', /missing column 'kind'/],
    ['quote.csv', `${CSV_HEADER}\n"unterminated,offer`, /not valid CSV/],
    [
      'nul.json',
      '[{"key":"a","kind":"offer","title":{"en":"A\\u0000B"},"summary":{"en":"B"},"originalLang":"en"}]',
      /records\.0\.title\.en: contains a NUL character/,
    ],
  ];
  it.each(cases)('%s', (name, text, msg) => {
    let err: unknown;
    try {
      parseImport(name, text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PontisError);
    expect((err as PontisError).code).toBe('invalid_input');
    expect((err as PontisError).toString()).toMatch(msg);
    expect((err as PontisError).toString()).toContain(name);
  });

  it('any text gives records or a clear error, never another exception (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.json(), fc.constantFrom(SEED.slice(0, 2000), `${CSV_HEADER}\n`)),
        (text) => {
          try {
            parseImport('random', text);
          } catch (e) {
            if (!(e instanceof PontisError) || e.code !== 'invalid_input') throw e;
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('pontis registry (command line)', () => {
  const run = promisify(execFile);
  const dir = mkdtempSync(join(tmpdir(), 'pontis-registry-cli-'));
  const registry = join(dir, 'registry');
  const pontis = (...args: string[]) =>
    run('node', ['bin/pontis.js', '--registry', registry, ...args], { encoding: 'utf8' }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );

  it('seeds a new registry, imports a need, matches it with reasons, exports', async () => {
    const needs = join(dir, 'needs.json');
    writeFileSync(
      needs,
      JSON.stringify({
        records: [
          {
            key: 'clinic-records-malawi',
            kind: 'need',
            originalLang: 'en',
            title: { en: 'Open-source health information system for district clinics' },
            summary: { en: 'District health offices need software to collect and report clinic data.' },
            sdgs: [3],
            sectors: ['health'],
            countries: ['MWI'],
            transferTerms: ['open_source'],
          },
        ],
      }),
    );
    const imp = await pontis('registry', 'import', needs, '--json');
    expect(imp.code).toBe(0);
    expect(imp.stderr).toMatch(/new registry at .*: \d+ seed records/);
    const report = JSON.parse(imp.stdout) as { rows: { what: string; created: number }[] };
    expect(report.rows.find((r) => r.what === 'records')!.created).toBe(1);

    const found = await pontis('registry', 'search', 'health information', '--kind', 'need', '--json');
    const hits = JSON.parse(found.stdout) as { rows: { id: string; title: string }[] };
    const need = hits.rows.find((h) => h.title.startsWith('Open-source health information'))!;
    expect(need).toBeDefined();

    const m = await pontis('registry', 'match', need.id, '--json');
    expect(m.code).toBe(0);
    const out = JSON.parse(m.stdout) as { rows: { rank: number; title: string; why: string }[] };
    // DHIS2, the seed's open-source health information platform (BSD-3-Clause), answers the need.
    expect(out.rows[0]!.title).toMatch(/^DHIS2/);
    expect(out.rows[0]!.why).toMatch(/sdg .*\(3\)/);

    const csv = join(dir, 'all.csv');
    const ex = await pontis('registry', 'export', '--out', csv);
    expect(ex.code).toBe(0);
    expect(readFileSync(csv, 'utf8')).toContain('clinic-records-malawi,need,published');
  });

  it('a bad file exits 1 naming the file and line; bad options exit 2', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, `${CSV_HEADER}\nx1,offer,,,en,T,,S.,,ZZZ,,,,,\n`);
    const r = await pontis('registry', 'import', bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${bad}:2: countries.0: unknown country code 'ZZZ'`);
    const latin1 = join(dir, 'latin1.csv');
    writeFileSync(latin1, Buffer.from(`${CSV_HEADER}\nx2,offer,,,en,Caf\xe9,,S.,,,,,,,\n`, 'latin1'));
    expect((await pontis('registry', 'import', latin1)).stderr).toContain('not UTF-8');
    expect((await pontis('registry', 'match', 'x', '--limit', '0')).code).toBe(2);
    expect((await pontis('registry', 'import', bad, '--status', 'rejected')).code).toBe(2);
  });
});

describe('openRegistry seeds an empty registry', () => {
  it('not seeded when asked not to; seeded on the next open while it is still empty; not again', async () => {
    const { openRegistry } = await import('../../src/registry/open.ts');
    const dir = join(mkdtempSync(join(tmpdir(), 'pontis-open-')), 'registry');
    const first = await openRegistry(dir, { seed: false });
    expect(first.seeded).toBeNull();
    await first.db.close();
    const second = await openRegistry(dir);
    expect(second.seeded?.records.created).toBe(seedDoc.records.length);
    await second.db.close();
    const third = await openRegistry(dir);
    expect(third.seeded).toBeNull();
    expect(await count(third.db, 'records')).toBe(seedDoc.records.length);
    await third.db.close();
  });
});
