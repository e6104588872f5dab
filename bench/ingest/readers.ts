/**
 * Streaming readers benchmark: peak RSS and time of reading a large World Bank API JSON and a large
 * XLSX through the ingest readers (all batches taken, nothing stored).
 *   npx tsx bench/ingest/readers.ts [--rows-json N=500000] [--rows-xlsx N=300000] [--before DIR]
 * Generates into bench/out/ (once): wb-api-<N>.json (~290 characters a row, 500,000 rows ≈ 145 MB),
 * its gzip, and xlsx-<N>.xlsx (a tidy sheet, entries in Excel's order) plus xlsx-<N>-exceljs.xlsx
 * (the same written by exceljs, worksheet before the shared strings). Each read runs in its own
 * process (`node --import tsx`), which reports the time to import the readers, the time to read
 * (open, detect nothing: the format is given, take every batch) and its peak RSS (VmHWM);
 * a process that only imports the readers gives the baseline RSS. `--before DIR` also runs the
 * readers of another checkout (e.g. `git archive <commit> src package.json | tar -x -C DIR`, with
 * node_modules linked), for before/after figures. `uptime` is printed before and after each read.
 * Child mode (internal): --child ROOT FILE FORMAT.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? (args[i + 1] ?? dflt) : dflt;
};

if (args[0] === '--child') {
  const [, root, file, format] = args as [string, string, string, string];
  const t0 = performance.now();
  const ingest = await import(pathToFileURL(join(root, 'src/ingest/index.ts')).href);
  const t1 = performance.now();
  let obs = 0;
  if (file !== '-') {
    const r = await ingest.readFile(file, { format });
    for await (const batch of r.result.batches) obs += batch.length;
  }
  const t2 = performance.now();
  const s = (ms: number) => Math.round(ms) / 1000;
  // Peak RSS of this process: VmHWM (ru_maxrss would include the parent's RSS at fork).
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  const rssMiB = Math.round(Number(hwm?.[1] ?? Number.NaN) / 102.4) / 10;
  process.stdout.write(`${JSON.stringify({ obs, importS: s(t1 - t0), readS: s(t2 - t1), rssMiB })}\n`);
  process.exit(0);
}

const out = join(here, 'bench/out');
mkdirSync(out, { recursive: true });
const rowsJson = Number(opt('--rows-json', '500000'));
const rowsXlsx = Number(opt('--rows-xlsx', '300000'));
const before = args.includes('--before') ? resolve(opt('--before', '')) : undefined;

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const iso3 = (i: number) => {
  const c = i % 250;
  return `C${LETTERS[Math.floor(c / 26)]}${LETTERS[c % 26]}`;
};

/** World Bank API v2 JSON, one row per line; row i: C?? of i % 250, 1960 + i % 60, i / 4, null if i % 7 === 3. */
async function genJson(path: string, n: number) {
  const w = createWriteStream(path);
  const write = (s: string) =>
    w.write(s) ? Promise.resolve() : new Promise<void>((ok) => w.once('drain', () => ok()));
  const paging = {
    page: 1,
    pages: 1,
    per_page: n,
    total: n,
    sourcename: 'Generated',
    lastupdated: '2026-01-01',
  };
  await write(`[${JSON.stringify(paging)},\n[\n`);
  for (let i = 0; i < n; i++) {
    const geo = iso3(i);
    const row = {
      indicator: { id: 'IT.NET.USER.ZS', value: 'Individuals using the Internet (% of population)' },
      country: { id: geo.slice(1), value: `Country ${i % 250}` },
      countryiso3code: geo,
      date: String(1960 + (i % 60)),
      value: i % 7 === 3 ? null : i / 4,
      unit: '',
      obs_status: '',
      decimal: 1,
    };
    await write(`${i ? ',\n' : ''}${JSON.stringify(row)}`);
  }
  await write('\n]]\n');
  await new Promise<void>((ok) => w.end(() => ok()));
}

/** A tidy sheet written with exceljs's streaming writer (worksheet first), then in Excel's order. */
async function genXlsx(excelOrder: string, exceljsOrder: string, n: number) {
  const ExcelJS = (await import('exceljs')).default;
  const JSZip = (await import('jszip')).default;
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: exceljsOrder, useSharedStrings: true });
  const ws = wb.addWorksheet('Data');
  ws.addRow(['indicator', 'geo', 'period', 'value', 'sex']).commit();
  for (let i = 0; i < n; i++) {
    ws.addRow([
      'IT_NET_BBP',
      iso3(i),
      1960 + (i % 60),
      i % 9 === 4 ? '...' : i / 7,
      i % 2 ? 'F' : 'M',
    ]).commit();
  }
  ws.commit();
  await wb.commit();
  const zip = await JSZip.loadAsync(readFileSync(exceljsOrder));
  const rank = (name: string) =>
    [
      '[Content_Types].xml',
      '_rels/.rels',
      'xl/_rels/workbook.xml.rels',
      'xl/workbook.xml',
      'xl/sharedStrings.xml',
      'xl/styles.xml',
    ].indexOf(name) >>> 0;
  const names = Object.keys(zip.files)
    .filter((f) => !zip.files[f]?.dir)
    .sort(
      (a, b) =>
        rank(a) - rank(b) ||
        (a.startsWith('xl/worksheets/') ? 1 : 0) - (b.startsWith('xl/worksheets/') ? 1 : 0),
    );
  const reordered = new JSZip();
  for (const f of names)
    reordered.file(
      f,
      await (zip.files[f] as InstanceType<typeof JSZip>['files'][string]).async('uint8array'),
    );
  writeFileSync(excelOrder, await reordered.generateAsync({ type: 'uint8array', compression: 'DEFLATE' }));
}

const json = join(out, `wb-api-${rowsJson}.json`);
if (!existsSync(json)) await genJson(json, rowsJson);
const jsonGz = `${json}.gz`;
if (!existsSync(jsonGz)) writeFileSync(jsonGz, gzipSync(readFileSync(json)));
const xlsx = join(out, `xlsx-${rowsXlsx}.xlsx`);
const xlsxExceljs = join(out, `xlsx-${rowsXlsx}-exceljs.xlsx`);
if (!existsSync(xlsx)) await genXlsx(xlsx, xlsxExceljs, rowsXlsx);

const uptime = () =>
  execFileSync('uptime', { encoding: 'utf8' })
    .trim()
    .replace(/^.*load average: /, '');

function child(root: string, file: string, format: string) {
  const load0 = uptime();
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', root, file, format],
    {
      cwd: here,
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  );
  const load1 = uptime();
  if (r.status !== 0)
    return {
      failed: (r.stderr.split('\n').find((l) => /Error|heap/.test(l)) ?? r.stderr).slice(0, 160),
      load: `${load0} → ${load1}`,
    };
  return {
    ...(JSON.parse(r.stdout.trim().split('\n').pop() as string) as object),
    load: `${load0} → ${load1}`,
  };
}

const mib = (p: string) => (statSync(p).size / 2 ** 20).toFixed(1);
const cases: [string, string, string][] = [
  [`World Bank API JSON, ${rowsJson} rows (${mib(json)} MiB)`, json, 'wb-api-json'],
  [`same, gzipped (${mib(jsonGz)} MiB)`, jsonGz, 'wb-api-json'],
  [`XLSX, ${rowsXlsx} rows, Excel's entry order (${mib(xlsx)} MiB)`, xlsx, 'xlsx'],
  [`XLSX, same, exceljs's entry order (${mib(xlsxExceljs)} MiB)`, xlsxExceljs, 'xlsx'],
];
const roots: [string, string][] = [
  ...(before ? ([['before', before]] as [string, string][]) : []),
  ['after', here],
];
console.log(`node ${process.version}, ${new Date().toISOString()}`);
for (const [label, root] of roots)
  console.log(`baseline (${label}, imports only):`, JSON.stringify(child(root, '-', '-')));
for (const [name, file, format] of cases) {
  for (const [label, root] of roots)
    console.log(`${name} [${label}]:`, JSON.stringify(child(root, file, format)));
}
