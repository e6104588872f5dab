/**
 * The site in-process (app.inject) on a store with the bundled real data: every page type in
 * English and Arabic, values checked against the source files read independently, 404s in the
 * right language, escaping of crafted query strings, and the byte budget.
 */
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBundled } from '../../src/store/ingest-files.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { buildWebTestApp } from '../../src/web/index.ts';
import { tmpDir } from '../helpers.ts';
import { geoNames, htmlAttr, latestWdi, sharedCsv, textOf } from './helpers.ts';

const tmp = tmpDir();
let store: Store;
let app: FastifyInstance;

beforeAll(async () => {
  store = await openStore({ path: join(tmp.dir, 'web.duckdb') });
  await loadBundled(store);
  app = await buildWebTestApp(store);
}, 120_000);
afterAll(async () => {
  await app.close();
  store.close();
  tmp.cleanup();
});

const get = (url: string, headers: Record<string, string> = {}) =>
  app.inject({ method: 'GET', url, headers });

/** Independent locale formatting (Arabic pages use Latin digits, as UN Arabic documents do). */
const fmt = (lang: string, v: number, d: number) =>
  new Intl.NumberFormat(lang === 'ar' ? 'ar-u-nu-latn' : lang, {
    minimumFractionDigits: d,
    maximumFractionDigits: d,
  }).format(v);

const PAGES = [
  '/',
  '/country/KEN',
  '/indicator/IT.NET.USER.ZS',
  '/indicator/IT.NET.USER.ZS?geo=KEN,IND,LDC&from=2010&to=2022&view=table',
  '/indicator/IT.NET.USER.ZS?view=map',
  '/compare',
  '/index-explorer',
  '/indicators',
  '/methodology',
];

describe('every page type in English and Arabic', () => {
  for (const lang of ['en', 'ar'] as const) {
    for (const path of PAGES) {
      it(`${lang}${path}: 200, lang and dir, language links to the same page`, async () => {
        const r = await get(`/${lang}${path}`);
        expect(r.statusCode).toBe(200);
        expect(r.headers['content-type']).toMatch(/text\/html; charset=utf-8/);
        expect(htmlAttr(r.body, 'lang')).toBe(lang);
        expect(htmlAttr(r.body, 'dir')).toBe(lang === 'ar' ? 'rtl' : 'ltr');
        for (const other of ['ar', 'zh', 'en', 'fr', 'ru', 'es']) {
          expect(r.body).toContain(`hreflang="${other}"`);
        }
        // The switcher names each language in itself.
        for (const name of ['العربية', '中文', 'English', 'Français', 'Русский', 'Español'])
          expect(r.body).toContain(`>${name}</a>`);
        expect(r.body).toContain('<main id="main"');
        expect(r.body).toContain('href="#main"');
        expect(r.body.match(/<h1[\s>]/g)).toHaveLength(1);
      });
    }
  }
});

describe('home: the resolution figures recomputed from the data', () => {
  it('developed-country mobile broadband per 100 in 2019 is within 122 ± 1.5 (A/RES/75/202 para. 16)', async () => {
    const r = await get('/en/');
    const text = textOf(r.body, 'mobile-broadband');
    const m = /Developed countries ([\d,.]+) 122 (\d+) of (\d+) countries, ([\d.]+)% of the population/.exec(
      text,
    );
    expect(m, text).not.toBeNull();
    const value = Number(m![1]!.replace(/,/g, ''));
    expect(Math.abs(value - 122)).toBeLessThanOrEqual(1.5);
    expect(Number(m![2])).toBeLessThanOrEqual(Number(m![3]));
    expect(text).toMatch(/Least developed countries 3\d\.\d 33/);
    // The Arabic page shows the same figure, formatted for Arabic, with the Arabic group name.
    const ar = textOf((await get('/ar/')).body, 'mobile-broadband');
    expect(ar).toContain('البلدان المتقدمة');
    expect(ar).toContain(fmt('ar', value, 1));
  });

  it('the LDC gender gap is shown as withheld with its reason, not as a number', async () => {
    const r = await get('/en/');
    const text = textOf(r.body, 'gender-gap');
    expect(text).toMatch(
      /Least developed countries Withheld ?: countries with data hold [\d.]+% of the population, below the minimum 50%/,
    );
    expect(text).toMatch(/World \d+\.\d% /);
    const ar = textOf((await get('/ar/')).body, 'gender-gap');
    expect(ar).toContain('محجوب');
  });

  it('each figure carries sources with vintages and a link to its method section', async () => {
    const r = await get('/en/');
    expect(r.body).toContain('ITU World Telecommunication/ICT Indicators database');
    expect(r.body).toContain('vintage March 22, 2024');
    const links = [...r.body.matchAll(/href="\/en\/methodology#([^"]+)"/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(0);
    const method = (await get('/en/methodology')).body;
    for (const id of links) expect(method, id).toContain(`id="${id}"`);
    expect(method).toContain('The resolution figures as Pontis computes them');
  });

  it('/ redirects by Accept-Language', async () => {
    expect((await get('/', { 'accept-language': 'ar-SA,ar;q=0.9' })).headers.location).toBe('/ar/');
    expect((await get('/', { 'accept-language': 'de-DE,ru;q=0.5' })).headers.location).toBe('/ru/');
    expect((await get('/', { 'accept-language': 'de' })).headers.location).toBe('/en/');
  });
});

describe('country profile', () => {
  const wdi = latestWdi('IT.NET.USER.ZS', 'KEN');

  for (const lang of ['en', 'ar', 'zh'] as const) {
    it(`${lang}: Kenya's latest Internet use equals the WDI source file, formatted for the locale`, async () => {
      const r = await get(`/${lang}/country/KEN`);
      expect(r.statusCode).toBe(200);
      const row =
        /<tr><th scope="row">.*?IT\.NET\.USER\.ZS.*?<\/th>\s*<td class="num" data-code="IT\.NET\.USER\.ZS">([^<]+)<\/td><td class="num">([^<]+)<\/td>/s.exec(
          r.body,
        );
      expect(row).not.toBeNull();
      expect(row![1]).toBe(fmt(lang, wdi.value, 1));
      expect(row![2]).toBe(String(wdi.year));
      expect(r.body).toContain(geoNames('KEN')[`name_${lang}`]);
    });
  }

  it('shows the gender gap from the WDI sex-disaggregated rates', async () => {
    const rows = sharedCsv('open-numbers-wdi/wdi_innovation_and_internet_by_sex.csv').filter(
      (r) => r.iso3 === 'KEN',
    );
    const byYear = (code: string) =>
      new Map(rows.filter((r) => r.indicator_code === code).map((r) => [Number(r.year), Number(r.value)]));
    const f = byYear('IT.NET.USER.FE.ZS');
    const m = byYear('IT.NET.USER.MA.ZS');
    expect(f.size).toBeGreaterThan(0);
    const year = Math.max(...[...f.keys()].filter((y) => m.has(y)));
    const text = textOf((await get('/en/country/KEN')).body, 'gender');
    const after = (await get('/en/country/KEN')).body.split('id="gender"')[1]!;
    expect(text).toContain('Gender gap');
    expect(after).toContain(
      `<th scope="row">${year}</th><td class="num">${fmt('en', m.get(year)!, 1)}</td><td class="num">${fmt('en', f.get(year)!, 1)}</td>`,
    );
  });

  it('groups, affordability against 2% and progress are present', async () => {
    const body = (await get('/en/country/KEN')).body;
    expect(body).toContain('Lower middle income');
    expect(body).toMatch(/Meets the target|Above the target/);
    expect(body).toMatch(/On track|Acceleration needed|Regression/);
    // Print-ready: the stylesheet hides navigation and forms when printing.
    const cssUrl = /<link rel="stylesheet" href="([^"]+)"/.exec(body)![1]!;
    expect((await get(cssUrl)).body).toMatch(/@media print \{[^}]*\.site-nav[^}]*form/);
  });

  it('group names in every language (World Bank income groups from the locale files)', async () => {
    const expected = {
      ar: 'البلدان ذات الدخل المتوسط الأدنى',
      zh: '中等偏下收入经济体',
      ru: 'Страны с уровнем дохода ниже среднего',
      fr: 'Revenu intermédiaire de la tranche inférieure',
    };
    for (const [lang, name] of Object.entries(expected)) {
      const body = (await get(`/${lang}/country/KEN`)).body;
      expect(body, lang).toContain(name);
      expect(body, lang).not.toContain('Lower middle income');
      expect(body, lang).not.toContain('Developing countries');
    }
  });

  it('index rank with its interval where the country is covered (ASEM: Switzerland 1 of 51)', async () => {
    const che = textOf((await get('/en/country/CHE')).body, 'index-ranks');
    expect(che).toMatch(/Sustainable Connectivity 1 \/ 51 \d+–\d+ 68\.4/);
    expect((await get('/en/country/KEN')).body).toContain(
      'This country is not covered by the composite indices.',
    );
  });

  it('unknown country → 404 page in the language of the address', async () => {
    const r = await get('/ar/country/XXX');
    expect(r.statusCode).toBe(404);
    expect(htmlAttr(r.body, 'lang')).toBe('ar');
    expect(r.body).toContain('الصفحة غير موجودة');
    const fr = await get('/fr/country/ZZZ');
    expect(fr.statusCode).toBe(404);
    expect(fr.body).toContain('Aucun pays n’a le code ZZZ.');
  });
});

describe('indicator explorer', () => {
  it('table view: Kenya 2019 equals the WDI source value; state in the address', async () => {
    const src = sharedCsv('gapminder-systema-globalis/wdi_ict_country_year.csv.gz').find(
      (r) => r.iso3 === 'KEN' && r.indicator_code === 'IT.NET.USER.ZS' && r.year === '2019',
    )!;
    for (const lang of ['en', 'fr', 'ar'] as const) {
      const r = await get(`/${lang}/indicator/IT.NET.USER.ZS?geo=KEN&from=2015&to=2020&view=table`);
      expect(r.statusCode).toBe(200);
      expect(r.body).toContain(
        `<tr><th scope="row">2019</th><td class="num">${fmt(lang, Number(src.value), 1)}</td></tr>`,
      );
      expect(r.body).toContain('value="KEN"');
      expect(r.body).toContain('value="2015"');
    }
  });

  it('chart view: SVG with title and desc, a text summary and the equivalent table', async () => {
    const r = await get('/en/indicator/IT.NET.USER.ZS?geo=KEN,IND&from=2010&to=2020');
    expect(r.body).toMatch(/<svg class="chart" role="img" aria-labelledby="chart-t chart-d"/);
    expect(r.body).toContain('<title id="chart-t">');
    expect(r.body).toMatch(/<desc id="chart-d">Line chart of .*Kenya from 7\.2 in 2010 to/);
    expect(r.body).toContain('id="data-table"');
    expect(r.body).toContain('<caption>');
  });

  it('map view: choropleth keyed by M49 with a summary and a table', async () => {
    const r = await get('/en/indicator/IT.NET.USER.ZS?view=map&to=2022');
    expect(r.body).toMatch(/<svg class="map" role="img"/);
    expect((r.body.match(/<path /g) ?? []).length).toBeGreaterThan(150);
    expect(/<title>India: [\d.]+<\/title>/.test(r.body)).toBe(true);
    expect(textOf(r.body, 'summary')).toMatch(/countries have data/);
  });

  it('group series and a sex breakdown', async () => {
    const r = await get('/en/indicator/IT.NET.USER.ZS?geo=WORLD,IND&sex=F&view=table');
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('Women');
    expect(r.body).toContain('geo=WORLD'); // groups with a sex breakdown are reported as not shown
  });

  it('area breakdown: kept in the state; the bundled data have none, which the page says', async () => {
    const r = await get('/es/indicator/IT.NET.USER.ZS?geo=KEN&area=R&view=table');
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('<option value="R" selected>Rural</option>');
    expect(r.body).toContain('No hay datos para esta selección.');
    expect(r.body).toContain('area=R');
    const bad = await get('/en/indicator/IT.NET.USER.ZS?area=X');
    expect(bad.body).toContain('Some of the choices could not be used: area=X.');
  });

  it('CSV download with metadata, citation and rows', async () => {
    const r = await get('/en/indicator/IT.NET.USER.ZS/data.csv?geo=KEN&from=2018&to=2019');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/text\/csv/);
    expect(r.body).toMatch(/^# indicator: IT\.NET\.USER\.ZS/);
    expect(r.body).toMatch(/# citation: Pontis, “Individuals using the Internet/);
    expect(r.body).toContain('KEN,country,Kenya,2019,22.6688');
  });

  it('unknown indicator → 404 in the right language', async () => {
    const r = await get('/ru/indicator/NOPE.X');
    expect(r.statusCode).toBe(404);
    expect(htmlAttr(r.body, 'lang')).toBe('ru');
    expect(r.body).toContain('Нет показателя с кодом NOPE.X.');
  });
});

describe('index explorer', () => {
  it('ASEM: Switzerland first with the score COINr publishes (68.38; Conn 62.79, Sust 73.98), with a rank interval', async () => {
    for (const lang of ['en', 'ar'] as const) {
      const r = await get(`/${lang}/index-explorer`);
      expect(r.statusCode).toBe(200);
      const first =
        /<tbody><tr><td class="num">([^<]+)<\/td><th scope="row">([^<]+)<\/th>\s*<td class="num">([^<]+)<\/td>\s*<td class="num">([^<]+)<\/td>\s*<td class="num">([^<]+)<\/td><td class="num">([^<]+)<\/td>/.exec(
          r.body,
        );
      expect(first).not.toBeNull();
      expect(first![1]).toBe('1');
      expect(first![2]).toBe(geoNames('CHE')[`name_${lang}`]);
      expect(first![3]).toBe(fmt(lang, 68.38, 1));
      expect(first![4]).toMatch(/^\d+–\d+$/);
      expect(first![5]).toBe(fmt(lang, 62.79, 1));
      expect(first![6]).toBe(fmt(lang, 73.98, 1));
    }
  });
});

describe('escaping', () => {
  const evil = '"><script>alert(1)</script><img src=x onerror=alert(2)>';
  const urls = [
    `/en/indicator/IT.NET.USER.ZS?geo=${encodeURIComponent(evil)}&from=${encodeURIComponent(evil)}&view=${encodeURIComponent(evil)}&sex=${encodeURIComponent(evil)}`,
    `/ar/indicator/${encodeURIComponent(evil)}`,
    `/en/country/${encodeURIComponent(evil)}`,
    `/en/compare?geo=${encodeURIComponent(evil)}&year=${encodeURIComponent(evil)}`,
    `/fr/${encodeURIComponent(evil)}`,
    `/en/country?iso=${encodeURIComponent(evil)}`,
  ];
  for (const url of urls) {
    it(`never echoes a crafted value unescaped: ${url.slice(0, 40)}…`, async () => {
      const r = await get(url);
      expect(r.statusCode).toBeLessThan(500);
      expect(r.body).not.toContain('<script>');
      expect(r.body).not.toContain('<img src=x');
      expect(r.body).not.toMatch(/"><script/);
    });
  }

  it('a crafted value is shown escaped where it is shown', async () => {
    const r = await get(`/en/indicator/IT.NET.USER.ZS?from=${encodeURIComponent('<b>x')}`);
    expect(r.body).toContain('from=&lt;b&gt;x');
  });
});

describe('low bandwidth', () => {
  it('first view of every page type ≤ 150 KB compressed (HTML + CSS); CSS cached for a year', async () => {
    const cssUrl = /<link rel="stylesheet" href="([^"]+)"/.exec((await get('/en/')).body)![1]!;
    const css = await get(cssUrl);
    expect(css.statusCode).toBe(200);
    expect(css.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const cssGz = gzipSync(css.body).length;
    const sizes: Record<string, number> = {};
    for (const lang of ['en', 'ar', 'zh']) {
      for (const path of PAGES) {
        const r = await get(`/${lang}${path}`);
        const total = gzipSync(r.body).length + cssGz;
        sizes[`${lang}${path}`] = total;
        expect(total, `${lang}${path}`).toBeLessThanOrEqual(150 * 1024);
        expect(r.body).not.toContain('<script');
      }
    }
    console.info('compressed bytes (HTML + CSS):', JSON.stringify(sizes));
  });
});
