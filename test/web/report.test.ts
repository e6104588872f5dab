/**
 * `pontis report country ISO3 --pdf FILE`, run as a user runs it (the real executable in a child
 * process, Debian's Chromium): the PDF is A4, and its text (pdftotext, from poppler-utils) has the
 * country's official UN name (from the shared UN names file, read independently) and Kenya's latest
 * Internet-use figure as the store holds it, formatted for the language; in English and Arabic.
 * Also the error paths: unknown country (exit 1), missing --pdf and bad --lang (exit 2), Chromium
 * missing (a message saying to install it). The PDFs are kept under test-results/.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { querySeries } from '../../src/store/queries.ts';
import { openStore } from '../../src/store/store.ts';
import { pdfPageCount } from '../../src/web/report.ts';
import { ROOT, runCli, tmpDir } from '../helpers.ts';
import { geoNames } from './helpers.ts';

const RESULTS = join(ROOT, 'test-results');
const tmp = tmpDir('pontis-report-');
const store = join(tmp.dir, 'store.duckdb');
const cli = (args: string[], env: Record<string, string> = {}) => runCli(['--store', store, ...args], env);
let latest: { year: number; value: number };

/** The text of a PDF with its layout kept (one table row per line), bidi controls removed. */
function pdfText(file: string): string {
  return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(
    /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    '',
  );
}

beforeAll(async () => {
  for (const [bin, pkg] of [
    ['/usr/bin/chromium', 'chromium'],
    ['/usr/bin/pdftotext', 'poppler-utils'],
  ])
    if (!existsSync(bin!))
      throw new Error(`${bin} is missing: install it with scripts/setup.sh ${pkg} (npm test does)`);
  mkdirSync(RESULTS, { recursive: true });
  expect((await cli(['init'])).code).toBe(0);
  // The figure the profile must show, read from the store through the library (then closed: the
  // child processes open the store themselves).
  const s = await openStore({ path: store, readOnly: true });
  try {
    const rows = await querySeries(s, { indicator: 'IT.NET.USER.ZS', geo: ['KEN'] });
    const last = rows.reduce((a, b) => (b.year > a.year ? b : a));
    latest = { year: last.year, value: last.value };
  } finally {
    s.close();
  }
}, 180_000);
afterAll(() => tmp.cleanup());

const fmt = (lang: string, v: number) =>
  new Intl.NumberFormat(lang === 'ar' ? 'ar-u-nu-latn' : lang, {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }).format(v);

describe('pontis report country', () => {
  for (const lang of ['en', 'ar'] as const) {
    it(`KEN in ${lang}: an A4 PDF with the official name and the latest Internet-use figure`, async () => {
      const file = join(tmp.dir, `KEN-${lang}.pdf`);
      const r = await cli([
        'report',
        'country',
        'KEN',
        '--pdf',
        file,
        ...(lang === 'en' ? [] : ['--lang', lang]),
      ]);
      expect(r.stderr).not.toMatch(/error/i);
      expect(r.code).toBe(0);
      const pdf = readFileSync(file);
      copyFileSync(file, join(RESULTS, `report-${lang}-country-KEN.pdf`));
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
      expect(info).toMatch(/^Page size:.*\(A4\)/m);
      const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
      expect(pages).toBeGreaterThan(0);
      expect(pdfPageCount(pdf)).toBe(pages);
      expect(r.stderr).toContain(`${pages} page(s)`);

      const text = pdfText(file);
      const name = geoNames('KEN')[`name_${lang}`]!;
      expect(text).toContain(name);
      // The Internet-use row: the value and its year on the same line of the key-indicator table.
      const value = fmt(lang, latest.value);
      const row = text.split('\n').find((l) => l.includes(value) && l.includes(String(latest.year)));
      expect(row, `no line with ${value} and ${latest.year} in:\n${text.slice(0, 3000)}`).toBeDefined();
      // Printed without the site navigation; page numbers in the footer.
      if (lang === 'en') expect(text).not.toContain('Skip to main content');
      expect(text).toMatch(new RegExp(`(^|\\s)1\\s*/\\s*${pages}(\\s|$)`, 'm'));
    }, 120_000);
  }

  it('an unknown country code is invalid input: exit 1, the message names the code', async () => {
    const file = join(tmp.dir, 'XXX.pdf');
    const r = await cli(['report', 'country', 'XXQ', '--pdf', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unknown country code XXQ/);
    expect(existsSync(file)).toBe(false);
  }, 60_000);

  it('a missing --pdf or an unknown --lang is a usage error: exit 2', async () => {
    const r = await cli(['report', 'country', 'KEN']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--pdf/);
    const l = await cli(['report', 'country', 'KEN', '--pdf', join(tmp.dir, 'x.pdf'), '--lang', 'de']);
    expect(l.code).toBe(2);
    expect(l.stderr).toMatch(/--lang/);
  }, 60_000);

  it('without Chromium: a message saying to install Debian chromium, and no PDF', async () => {
    const file = join(tmp.dir, 'none.pdf');
    const r = await cli(['report', 'country', 'KEN', '--pdf', file], {
      PONTIS_CHROMIUM: join(tmp.dir, 'no-such-chromium'),
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/Chromium is not installed .*install Debian's chromium/);
    expect(existsSync(file)).toBe(false);
  }, 60_000);

  it('--help documents the command and its options', async () => {
    const r = await runCli(['report', 'country', '--help']);
    expect(r.code).toBe(0);
    for (const s of ['<iso3>', '--pdf <file>', '--lang <lang>', 'chromium']) expect(r.stdout).toContain(s);
  });
});
