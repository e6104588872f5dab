/**
 * Writes a WDI-shaped tidy long CSV for the ingest benchmark: indicator,geo,period,value with
 * real WDI-style indicator codes × the 248 M49 countries × years. Values are seeded pseudo-random
 * numbers (this is a speed test: only the shape matters). Usage:
 *   npx tsx bench/ingest/gen-wdi-long.ts OUT.csv [ROWS=10000000]
 */
import { createWriteStream, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const out = process.argv[2] ?? 'bench/out/wdi-long-10m.csv';
const rows = Number(process.argv[3] ?? 10_000_000);
const geos = readFileSync(fileURLToPath(new URL('../../data/geos.csv', import.meta.url)), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split(',')[1]!)
  .filter((c) => /^[A-Z]{3}$/.test(c));
const years = Array.from({ length: 64 }, (_, i) => 1960 + i);
const perIndicator = geos.length * years.length;
const nInd = Math.ceil(rows / perIndicator);
const topics = ['IT', 'SP', 'NY', 'SE', 'SH', 'EG', 'EN', 'AG', 'BX', 'FP'];

let seed = 0x9e3779b9;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const ws = createWriteStream(out);
const write = (s: string) =>
  ws.write(s) ? Promise.resolve() : new Promise<void>((r) => ws.once('drain', () => r()));
await write('indicator,geo,period,value\n');
let n = 0;
let buf = '';
outer: for (let i = 0; i < nInd; i++) {
  const code = `${topics[i % topics.length]}.BEN.${String(i).padStart(4, '0')}.ZS`;
  for (const g of geos)
    for (const y of years) {
      if (n >= rows) break outer;
      buf += `${code},${g},${y},${(rand() * 1000).toFixed(4)}\n`;
      n++;
      if (buf.length > 1 << 20) {
        await write(buf);
        buf = '';
      }
    }
}
await write(buf);
ws.end();
await new Promise<void>((r) => ws.on('finish', () => r()));
process.stderr.write(`wrote ${n} rows to ${out}\n`);
