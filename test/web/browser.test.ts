/**
 * The site in a real browser: playwright-core drives Debian's Chromium against the web plugin
 * served on 127.0.0.1 (a random port, with compression as in the full server). axe-core is
 * injected into each page: zero violations for WCAG 2 A and AA on every page type in English and
 * Arabic. Also: the transferred bytes of the first view, the indicator explorer by keyboard
 * alone, and a screenshot of every page under test-results/. Without Chromium these tests fail.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import compress from '@fastify/compress';
import Fastify, { type FastifyInstance } from 'fastify';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBundled } from '../../src/store/ingest-files.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { webPlugin } from '../../src/web/index.ts';
import { CHROMIUM, CHROMIUM_FLAGS } from '../../src/web/report.ts';
import { ROOT, tmpDir } from '../helpers.ts';
import { latestWdi } from './helpers.ts';

const FLAGS = [...CHROMIUM_FLAGS];
const SHOTS = join(ROOT, 'test-results');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const tmp = tmpDir('pontis-web-browser-');
let store: Store;
let app: FastifyInstance;
let context: BrowserContext;
let base: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is missing: install it with scripts/setup.sh chromium fonts-noto-core fonts-noto-cjk (npm test does)`,
    );
  mkdirSync(SHOTS, { recursive: true });
  store = await openStore({ path: join(tmp.dir, 'b.duckdb') });
  await loadBundled(store);
  app = Fastify({ logger: false });
  await app.register(compress, { global: true, threshold: 1024 });
  await app.register(webPlugin, { store });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no port');
  base = `http://127.0.0.1:${addr.port}`;
  context = await chromium.launchPersistentContext(join(tmp.dir, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1200, height: 900 },
  });
}, 180_000);

afterAll(async () => {
  await context?.close();
  await app?.close();
  store?.close();
  tmp.cleanup();
});

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

async function axe(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: AXE });
  // A string expression: the test code is compiled without the DOM library.
  return page.evaluate(`axe
    .run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } })
    .then((r) => r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    })))`) as Promise<AxeViolation[]>;
}

const PAGES: Array<[string, string]> = [
  ['home', '/'],
  ['country', '/country/KEN'],
  ['country-index', '/country/CHE'],
  ['explorer-chart', '/indicator/IT.NET.USER.ZS?geo=KEN,IND,LDC&from=2005&to=2022'],
  ['explorer-table', '/indicator/IT.NET.USER.ZS?geo=KEN,IND&view=table'],
  ['explorer-map', '/indicator/IT.NET.USER.ZS?view=map'],
  ['compare', '/compare'],
  ['index', '/index-explorer'],
  ['indicators', '/indicators'],
  ['methodology', '/methodology'],
  ['not-found', '/country/XXX'],
];

describe('every page type in English and Arabic, in Chromium', () => {
  for (const lang of ['en', 'ar'] as const) {
    for (const [name, path] of PAGES) {
      it(`${lang} ${name}: real values, zero axe violations (wcag2a, wcag2aa), first view under 150 KB`, async () => {
        const page = await context.newPage();
        // A first view: nothing from the browser cache (the stylesheet is fetched every time).
        const cdp = await context.newCDPSession(page);
        await cdp.send('Network.enable');
        await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
        let transferred = 0;
        let requests = 0;
        const sizes: Promise<void>[] = [];
        page.on('requestfinished', (req) => {
          requests++;
          sizes.push(
            req.sizes().then((s) => {
              transferred += s.responseBodySize + s.responseHeadersSize;
            }),
          );
        });
        const res = await page.goto(`${base}/${lang}${path}`, { waitUntil: 'load' });
        expect(res?.status()).toBe(name === 'not-found' ? 404 : 200);
        await Promise.all(sizes);
        expect(await page.getAttribute('html', 'lang')).toBe(lang);
        expect(await page.getAttribute('html', 'dir')).toBe(lang === 'ar' ? 'rtl' : 'ltr');
        expect(requests).toBe(2); // the page and its stylesheet: no script, no font, no image
        expect(transferred, `${lang}${path} transferred ${transferred} bytes`).toBeLessThanOrEqual(
          150 * 1024,
        );
        const violations = await axe(page);
        expect(violations, JSON.stringify(violations, null, 1)).toEqual([]);
        await page.screenshot({ path: join(SHOTS, `web-${lang}-${name}.png`), fullPage: true });
        if (name === 'country') {
          const wdi = latestWdi('IT.NET.USER.ZS', 'KEN');
          const shown = await page.textContent('td[data-code="IT.NET.USER.ZS"]');
          const fmt = new Intl.NumberFormat(lang === 'ar' ? 'ar-u-nu-latn' : lang, {
            minimumFractionDigits: 1,
            maximumFractionDigits: 1,
          });
          expect(shown).toBe(fmt.format(wdi.value));
        }
        if (name === 'home') {
          const text = (await page.textContent('#mobile-broadband')) ?? '';
          expect(text).toMatch(/12[0-3][.,٫]\d/);
        }
        if (lang === 'ar' && name === 'home') {
          // Mirrored layout: the main navigation starts at the right edge.
          const box = await page.locator('header nav ul li').first().boundingBox();
          expect(box!.x).toBeGreaterThan(600);
        }
        console.info(`${lang} ${name}: ${transferred} bytes transferred`);
        await page.close();
      });
    }
  }
});

describe('print', () => {
  it('the country profile prints without navigation or forms, with its tables; a PDF is written', async () => {
    const page = await context.newPage();
    await page.goto(`${base}/en/country/KEN`);
    await page.emulateMedia({ media: 'print' });
    expect(await page.isVisible('header.site nav')).toBe(false);
    expect(await page.isVisible('.skip')).toBe(false);
    expect(await page.isVisible('#key-indicators')).toBe(true);
    expect(await page.textContent('#key-indicators')).toContain('Kenya');
    const pdf = await page.pdf({ path: join(SHOTS, 'web-en-country-KEN.pdf'), format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(20_000);
    await page.close();
  });
});

describe('the checks can fail', () => {
  it('axe reports violations on a page built to break the rules', async () => {
    const page = await context.newPage();
    await page.setContent(
      '<html><body><img src="data:,"><input type="text"><p style="color:#ccc">low</p></body></html>',
    );
    const ids = (await axe(page)).map((v) => v.id).sort();
    expect(ids).toEqual(expect.arrayContaining(['color-contrast', 'html-has-lang', 'image-alt', 'label']));
    await page.close();
  });
});

describe('the indicator explorer by keyboard alone', () => {
  it('Tab to the form, change the countries and years, submit, and the state is in the address', async () => {
    const page = await context.newPage();
    await page.goto(`${base}/en/indicator/IT.NET.USER.ZS`);
    // The first Tab reaches the skip link, which is then visible.
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.className')).toBe('skip');
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = (await page.evaluate("document.activeElement?.id === 'geo'")) as boolean;
    }
    expect(reached).toBe(true);
    // Focus is visible (an outline is drawn around the field).
    const outline = await page.evaluate('getComputedStyle(document.activeElement).outlineStyle');
    expect(outline).not.toBe('none');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('KEN,IND');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.id')).toBe('from');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('2012');
    await page.keyboard.press('Tab');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('2019');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.id')).toBe('sex');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.id')).toBe('area');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.id')).toBe('view');
    await page.keyboard.press('ArrowDown'); // chart → table
    await page.keyboard.press('Tab');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    const url = new URL(page.url());
    expect(url.searchParams.get('geo')).toBe('KEN,IND');
    expect(url.searchParams.get('from')).toBe('2012');
    expect(url.searchParams.get('to')).toBe('2019');
    expect(url.searchParams.get('view')).toBe('table');
    const table = (await page.textContent('#data-table')) ?? '';
    expect(table).toContain('Kenya');
    expect(table).toContain('22.7'); // Kenya 2019, WDI 22.6688
    // The tabs are links: reach "Map" by keyboard and follow it.
    let onMap = false;
    for (let i = 0; i < 40 && !onMap; i++) {
      await page.keyboard.press('Tab');
      onMap = (await page.evaluate("document.activeElement?.textContent === 'Map'")) as boolean;
    }
    expect(onMap).toBe(true);
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    expect(new URL(page.url()).searchParams.get('view')).toBe('map');
    expect(new URL(page.url()).searchParams.get('geo')).toBe('KEN,IND');
    await page.screenshot({ path: join(SHOTS, 'web-en-explorer-keyboard.png'), fullPage: true });
    await page.close();
  });
});
