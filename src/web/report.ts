/**
 * The country profile as a PDF: the page /{lang}/country/{ISO3} rendered by Chromium under print
 * media (A4, backgrounds printed, page numbers in the footer), so the PDF is exactly the page a
 * visitor prints. The web plugin is served in-process on 127.0.0.1 (a free port) for the time of
 * the rendering; Chromium (Debian's, /usr/bin/chromium) runs headless with a fresh profile in a
 * temporary directory, driven by playwright-core.
 *
 *   const r = await renderCountryPdf(store, 'KEN', 'en', 'kenya.pdf');
 *   // { file: 'kenya.pdf', iso3: 'KEN', name: 'Kenya', lang: 'en', bytes: 61234, pages: 3 }
 */
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import Fastify from 'fastify';
import { invalid, notFound, PontisError } from '../core/errors.ts';
import type { Store } from '../store/store.ts';
import { countryByCode } from './catalog.ts';
import type { Lang } from './i18n.ts';
import { webPlugin } from './index.ts';

/** Where Debian's chromium package puts the browser. */
export const CHROMIUM = '/usr/bin/chromium';

/** Headless, no sandbox (containers), and nothing that reaches the network on its own. */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface CountryPdfOptions {
  /** The Chromium executable (default /usr/bin/chromium, or $PONTIS_CHROMIUM). */
  chromium?: string;
  /** Give up after this many milliseconds (default 60 000). */
  timeoutMs?: number;
}

export interface CountryPdf {
  file: string;
  iso3: string;
  /** The country's UN name in the language, as on the page. */
  name: string;
  lang: Lang;
  bytes: number;
  pages: number;
}

/** Page numbers, small and muted, at the bottom centre of every page ("2 / 3"). */
const FOOTER = `<div style="width:100%;font-size:8pt;color:#4a4a4a;text-align:center;font-family:sans-serif">
<span class="pageNumber"></span> / <span class="totalPages"></span></div>`;

/** The number of pages of a PDF Chromium wrote (its page objects are not compressed). */
export function pdfPageCount(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;
}

type Playwright = typeof import('playwright-core');

async function playwright(): Promise<Playwright> {
  try {
    return await import('playwright-core');
  } catch {
    throw new PontisError(
      'internal',
      'the npm package playwright-core is missing (it drives Chromium): run `npm install` in the Pontis directory',
    );
  }
}

/**
 * Renders the country profile of `iso3` in `lang` to the PDF `file`. Throws a PontisError
 * 'not_found' for a code that is not a country of the store (the message names the code),
 * 'invalid_input' when the file cannot be written, 'internal' when Chromium is missing or fails.
 */
export async function renderCountryPdf(
  store: Store,
  iso3: string,
  lang: Lang,
  file: string,
  options: CountryPdfOptions = {},
): Promise<CountryPdf> {
  const code = iso3.trim().toUpperCase();
  const country = /^[A-Z]{3}$/.test(code) ? await countryByCode(store, lang, code) : undefined;
  if (!country)
    throw notFound(
      `unknown country code ${iso3} (expected the ISO 3166 alpha-3 code of a country, e.g. KEN)`,
      {
        field: 'country',
      },
    );
  const out = resolve(file);
  const dir = dirname(out);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw invalid(`cannot write ${file}: the directory ${dir} does not exist`, { field: '--pdf' });

  const executablePath = options.chromium ?? process.env.PONTIS_CHROMIUM ?? CHROMIUM;
  if (!existsSync(executablePath))
    throw new PontisError(
      'internal',
      `Chromium is not installed (no ${executablePath}): install Debian's chromium package (sudo apt-get install chromium fonts-noto-core fonts-noto-cjk, or bash scripts/setup.sh chromium fonts-noto-core fonts-noto-cjk)`,
    );
  const { chromium } = await playwright();
  const timeout = options.timeoutMs ?? 60_000;

  const app = Fastify({ logger: false });
  const profile = mkdtempSync(join(tmpdir(), 'pontis-chromium-'));
  try {
    await app.register(webPlugin, { store });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const addr = app.server.address();
    if (!addr || typeof addr === 'string') throw new PontisError('internal', 'the page server has no port');
    let context: Awaited<ReturnType<Playwright['chromium']['launchPersistentContext']>>;
    try {
      context = await chromium.launchPersistentContext(profile, {
        executablePath,
        headless: true,
        args: [...CHROMIUM_FLAGS],
        timeout,
      });
    } catch (e) {
      throw new PontisError(
        'internal',
        `Chromium (${executablePath}) did not start: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
      );
    }
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(timeout);
      const url = `http://127.0.0.1:${addr.port}/${lang}/country/${code}`;
      const res = await page.goto(url, { waitUntil: 'load' });
      if (res?.status() !== 200)
        throw new PontisError('internal', `the country page ${url} answered ${res?.status() ?? 'nothing'}`);
      await page.emulateMedia({ media: 'print' });
      const pdf = await page.pdf({
        format: 'A4',
        printBackground: true,
        displayHeaderFooter: true,
        headerTemplate: '<span></span>',
        footerTemplate: FOOTER,
        margin: { top: '15mm', bottom: '18mm', left: '15mm', right: '15mm' },
      });
      try {
        writeFileSync(out, pdf);
      } catch (e) {
        throw invalid(`cannot write ${file}: ${e instanceof Error ? e.message : String(e)}`, {
          field: '--pdf',
        });
      }
      return {
        file,
        iso3: code,
        name: country.name ?? code,
        lang,
        bytes: pdf.length,
        pages: pdfPageCount(pdf),
      };
    } finally {
      await context.close();
    }
  } finally {
    await app.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
