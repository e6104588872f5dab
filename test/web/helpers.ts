/** Shared set-up for the web tests: a store with the bundled data and the web plugin on Fastify. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { SHARED } from '../helpers.ts';

type Rec = Record<string, string>;

/** Rows of a CSV file in ../shared/data (gzip or plain), read independently of Pontis. */
export function sharedCsv(rel: string): Rec[] {
  const buf = readFileSync(join(SHARED, rel));
  const text = rel.endsWith('.gz') ? gunzipSync(buf).toString('utf8') : buf.toString('utf8');
  return parse(text, { columns: true, skip_empty_lines: true }) as Rec[];
}

/** The latest (year, value) of a WDI series for a country in the Gapminder WDI ICT file. */
export function latestWdi(code: string, iso3: string): { year: number; value: number } {
  const rows = sharedCsv('gapminder-systema-globalis/wdi_ict_country_year.csv.gz').filter(
    (r) => r.indicator_code === code && r.iso3 === iso3,
  );
  if (rows.length === 0) throw new Error(`no ${code} for ${iso3} in the source file`);
  const last = rows.reduce((a, b) => (Number(b.year) > Number(a.year) ? b : a));
  return { year: Number(last.year), value: Number(last.value) };
}

/** The UN names of a country in the six languages, from the shared UN country-names file. */
export function geoNames(iso3: string): Rec {
  const r = sharedCsv('country-names/country_names.csv').find((x) => x.iso3 === iso3);
  if (!r) throw new Error(`no ${iso3}`);
  return r;
}

/** The attribute value of the root element. */
export function htmlAttr(body: string, attr: 'lang' | 'dir'): string | undefined {
  return new RegExp(`<html[^>]*\\s${attr}="([^"]+)"`).exec(body)?.[1];
}

/** Text content of the element with the given id (tags removed, whitespace collapsed). */
export function textOf(body: string, id: string): string {
  const start = body.indexOf(`id="${id}"`);
  if (start < 0) throw new Error(`no element #${id}`);
  const open = body.lastIndexOf('<', start);
  const tag = /^<(\w+)/.exec(body.slice(open))![1]!;
  const end = body.indexOf(`</${tag}>`, start);
  return body
    .slice(open, end)
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}
