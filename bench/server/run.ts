/**
 * Benchmark of the HTTP API and the web site: starts `pontis serve` on 127.0.0.1 (a store of its
 * own, created with the bundled data on first start), then drives it with autocannon (series and
 * aggregate API requests, and a country profile page): each scenario at a fixed rate
 * (default 200 requests/s, the goal: p99 under 50 ms, zero errors) and then flat out (to see the
 * ceiling). Prints a Markdown table with the load average of the machine before and after.
 *
 *   npx tsx bench/server/run.ts [--rate 200] [--duration 20] [--connections 10] [--store bench/out/server.duckdb] [--fixed-only] [--cache-mb 0] [--only TEXT]
 *
 * No If-None-Match is sent. With the response cache on (default), repeated requests are served from
 * memory after the first; `--cache-mb 0` makes every request go to the store.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = resolve(import.meta.dirname, '../..');
const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '200' },
    duration: { type: 'string', default: '20' },
    connections: { type: 'string', default: '10' },
    store: { type: 'string', default: 'bench/out/server.duckdb' },
    'fixed-only': { type: 'boolean', default: false },
    /** Server response cache in MB (0: every request is computed from the store). */
    'cache-mb': { type: 'string', default: '64' },
    /** Run only the requests whose name contains this text (e.g. --only country). */
    only: { type: 'string' },
  },
});
mkdirSync(join(ROOT, 'bench/out'), { recursive: true });

export const SCENARIOS: Record<string, string> = {
  series: '/api/series?indicator=IT.NET.USER.ZS&geo=KEN,IND,BRA,NGA,VNM&from=2010',
  'series (CSV)': '/api/series?indicator=IT.NET.USER.ZS&geo=KEN,IND,BRA,NGA,VNM&from=2010&format=csv',
  aggregate:
    '/api/aggregates?indicator=i271mw&denominator=WPP.POP&scale=100&group=DEVELOPED,DEVELOPING,LDC&year=2019',
  'aggregate, 3 groups × 10 years':
    '/api/aggregates?indicator=i271mw&denominator=WPP.POP&scale=100&group=DEVELOPED,DEVELOPING,LDC&year=2010-2019',
  'country profile page': '/en/country/KEN',
};

function start(): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((ok, fail) => {
    const child = spawn(
      process.execPath,
      [
        join(ROOT, 'bin/pontis.js'),
        'serve',
        '--port',
        '0',
        '--host',
        '127.0.0.1',
        '--cache-mb',
        values['cache-mb'] as string,
      ],
      {
        cwd: ROOT,
        env: { ...process.env, PONTIS_STORE: resolve(ROOT, values.store as string) },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let err = '';
    child.stderr?.on('data', (d) => {
      err += d;
      const m = /serving the API on (http:\/\/\S+)\/api\/docs/.exec(err);
      if (m?.[1]) ok({ child, url: m[1].replace('localhost', '127.0.0.1') });
    });
    child.on('close', (code) => fail(new Error(`server exited with ${code}: ${err}`)));
  });
}

interface Result {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}

function autocannon(url: string, rate: number | undefined): Result {
  const args = ['autocannon', '-j', '-c', values.connections as string, '-d', values.duration as string];
  if (rate) args.push('-R', String(rate));
  args.push(url);
  const out = execFileSync('npx', args, {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return JSON.parse(out) as Result;
}

const { child, url } = await start();
try {
  const rate = Number(values.rate);
  const before = loadavg();
  const rows: string[] = [];
  for (const [name, path] of Object.entries(SCENARIOS)) {
    if (values.only && !name.includes(values.only)) continue;
    autocannon(url + path, 50); // warm-up at a low rate (1/4 of the duration would do; same length is simpler)
    const runs = [['fixed', rate] as const, ...(values['fixed-only'] ? [] : [['max', undefined] as const])];
    for (const [kind, r] of runs) {
      const res = autocannon(url + path, r);
      const load = loadavg()[0]?.toFixed(2);
      rows.push(
        `| ${name} | ${kind === 'fixed' ? `${r} req/s` : 'flat out'} | ${res.requests.average.toFixed(0)} | ${res.latency.p50} | ${res.latency.p99} | ${res.latency.max} | ${res.errors + res.timeouts} | ${res.non2xx} | ${load} |`,
      );
      process.stderr.write(`${rows.at(-1)}\n`);
    }
  }
  const after = loadavg();
  process.stdout.write(
    [
      `load average before: ${before.map((x) => x.toFixed(2)).join(' ')}; after: ${after.map((x) => x.toFixed(2)).join(' ')}`,
      `connections ${values.connections}, ${values.duration} s per run, response cache ${values['cache-mb']} MB`,
      '',
      '| request | rate | requests/s | p50 ms | p99 ms | max ms | errors | non-2xx | load (1 min) |',
      '|---|---|---|---|---|---|---|---|---|',
      ...rows,
      '',
    ].join('\n'),
  );
} finally {
  const closed = new Promise((r) => child.once('close', r));
  child.kill('SIGTERM');
  await closed;
}
