/**
 * Every code block in docs/library.md is a complete program: each is run here, as a user would run
 * it, against a store loaded with the bundled data, and must exit 0 and print what it promises.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli, tmpDir } from '../helpers.ts';

const doc = readFileSync(join(ROOT, 'docs/library.md'), 'utf8');
const examples = [...doc.matchAll(/^## (.+)\n```ts\n([\s\S]*?)```/gm)].map((m) => ({
  title: m[1]!,
  code: m[2]!,
}));
const tmp = tmpDir('pontis-docs-');
const store = join(tmp.dir, 'store.duckdb');
// Inside the package, so that `import … from 'pontis'` resolves to this package (self-reference).
const dir = join(ROOT, '.tmp/docs-examples');

/** What each example must print (checked against the bundled data, not against Pontis itself). */
const expectations: Record<string, RegExp[]> = {
  openStore: [/^1 data\/observations\/wdi-ict-gapminder\.csv\.gz 2025-12-08 \d+$/m],
  querySeries: [/^KEN 2019 \d+(\.\d+)? .*2025-12-08$/m, /2018: 14\.9/],
  listIndicators: [/^i271mw /m, /code: 'SP\.POP\.TOTL'/, /area: 'U'/],
  listGroups: [/LDC: 47/, /^47 46 true false$/m],
  ingestFile: [/1 of 2 rows are invalid/, /line 3: geo: unknown country code 'ATLANTIS'/, /^loaded 1 1$/m],
  readFile: [/^wdi-csv 5970 observations; vintage 2018-05-02 ; missing cells 9342$/m],
  exportSeries: [/exported \d+ observations/, /rebuilt store has \d+ observations/],
  importGroups: [/groups: 1, memberships: 2/, /\[ 'KEN' \]/],
  // Independent references: ITU's published 2019 figures (A/RES/75/202 para. 16), within ±1.5.
  analysis: [/^DEVELOPED 12[1-3]\.\d /m, /^LDC 3[2-4]\.\d /m, /population covered/],
  // COINr's documentation prints Switzerland first in the ASEM index with 68.38.
  indexer: [/^1 CHE 68\.38$/m],
  // Switzerland first in ASEM (COINr's documentation), and stays first or second in the Monte Carlo.
  analyse: [
    /^Index alpha 0\.\d\d PC1 \d+%$/m,
    /^CHE nominal 1 median 1 5-95% \[1, [12]\] 500 runs$/m,
    /^weights first /m,
  ],
  // The bundled data: WDI IT.NET.USER.MA.ZS / FE.ZS for Kenya 2019 (25.17 / 20.23, parity 0.80);
  // ITU's 2024 fixed-broadband basket: no low-income country below 2% of GNI p.c.
  gap: [
    /^gap KEN 2019 male 25\.2 female 20\.2 parity 0\.80$/m,
    /^inequality 2019 \d+ countries gini 0\.\d+$/m,
    /^WB_L 2024 0 of \d+ below 2% median \d/m,
    /^progress KEN 20\d\d \d+\.\d target 100 by 2030$/m,
  ],
  // The UN French name of Kenya; a PDF file (its signature).
  renderCountryPdf: [/^Kenya fr [1-9]\d* pages %PDF-$/m],
  // The seed file's 27 records; one of its two open-source health platforms (DHIS2, OpenMRS; French
  // summaries) found for 'santé' and matched first with the need; SDG 7 for solar mini-grids.
  registry: [
    /^seeded 27$/m,
    /^search [1-9]\d* (DHIS2|OpenMRS)/m,
    /^suggest 7 /m,
    /^match (DHIS2|OpenMRS): [^\n]* sdg=1\.00 sector=1\.00 terms=1\.00/m,
  ],
};

beforeAll(async () => {
  expect((await runCli(['--store', store, 'init'])).code).toBe(0);
  mkdirSync(dir, { recursive: true });
}, 120_000);
afterAll(() => {
  tmp.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('docs/library.md examples run', () => {
  it('has one example per documented function', () => {
    expect(examples.map((e) => e.title.split(/[,:]/)[0])).toEqual(Object.keys(expectations));
  });
  it.each(examples)('$title', ({ title, code }) => {
    const file = join(dir, `${title.split(/[,:]/)[0]}.ts`);
    writeFileSync(file, code);
    const r = spawnSync(process.execPath, ['--import', 'tsx', file], {
      cwd: ROOT,
      env: { ...process.env, PONTIS_STORE: store },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.status).toBe(0);
    for (const re of expectations[title.split(/[,:]/)[0]!] ?? []) expect(r.stdout).toMatch(re);
  });
});
