/**
 * The registry's pages in a real browser (Debian's Chromium through playwright-core, as
 * browser.test.ts does for the observatory), over PGlite: browse, a record with its matches, the
 * submit form and the same form with its errors, sign-in, and the moderation queue, in English and
 * Arabic — zero axe-core violations (wcag2a, wcag2aa), a first view (cache disabled: the page and
 * its stylesheet, nothing else) within 150 KB; and the submit form completed by keyboard alone.
 * Screenshots go to test-results/.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import compress from '@fastify/compress';
import Fastify, { type FastifyInstance } from 'fastify';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRegistryDb, type RegistryDb } from '../../src/registry/db.ts';
import { migrate } from '../../src/registry/migrate.ts';
import { createRecord, getRecord, transitionRecord } from '../../src/registry/records.ts';
import type { Actor } from '../../src/registry/roles.ts';
import { createSession } from '../../src/registry/sessions.ts';
import { PLAIN_SESSION_COOKIE } from '../../src/web/registry/index.ts';
import { CHROMIUM, CHROMIUM_FLAGS } from '../../src/web/report.ts';
import { ROOT, tmpDir } from '../helpers.ts';
import { addOrg, addUser } from '../registry/fixtures.ts';
import { registryApp } from './registry-helpers.ts';

const FLAGS = [...CHROMIUM_FLAGS];
const SHOTS = join(ROOT, 'test-results');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const tmp = tmpDir('pontis-registry-browser-');
let db: RegistryDb;
let app: FastifyInstance;
let context: BrowserContext;
let base: string;
let contributor: Actor;
let moderator: Actor;
let admin: Actor;
let orgAdmin: Actor;
let needId: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is missing: install it with scripts/setup.sh chromium fonts-noto-core fonts-noto-cjk`,
    );
  mkdirSync(SHOTS, { recursive: true });
  db = await openRegistryDb();
  await migrate(db);
  const orgA = (await addOrg(db, 'Lake Region Energy Cooperative')).id;
  const orgB = (await addOrg(db, 'Coastal Health Board')).id;
  contributor = await addUser(db, 'contributor', orgA);
  const other = await addUser(db, 'contributor', orgB);
  moderator = await addUser(db, 'moderator');
  admin = await addUser(db, 'admin');
  orgAdmin = await addUser(db, 'org_admin', orgA);
  const pub = async (a: Actor, input: Record<string, unknown>) => {
    const r = await createRecord(db, a, input);
    await transitionRecord(db, a, r.id, 'submitted');
    await transitionRecord(db, moderator, r.id, 'published');
    return r.id;
  };
  needId = await pub(other, {
    kind: 'need',
    originalLang: 'en',
    title: { en: 'Cold storage for vaccines in coastal clinics', ar: 'تبريد اللقاحات في العيادات الساحلية' },
    summary: {
      en: 'Clinics without reliable grid power need solar refrigerators for vaccines.',
      ar: 'تحتاج العيادات التي لا تصلها الكهرباء بانتظام إلى ثلاجات تعمل بالطاقة الشمسية لحفظ اللقاحات.',
    },
    sdgs: [3, 7],
    countries: ['KEN'],
    sectors: ['health', 'energy'],
    readiness: 7,
    transferTerms: ['donation', 'open_source'],
  });
  await pub(contributor, {
    kind: 'offer',
    originalLang: 'en',
    title: { en: 'Solar vaccine refrigerators' },
    summary: { en: 'Open-hardware solar refrigerators that keep vaccines cold in clinics off the grid.' },
    sdgs: [3, 7],
    countries: ['KEN', 'TZA'],
    sectors: ['health', 'energy'],
    readiness: 8,
    licence: 'CERN-OHL-P-2.0',
  });
  const waiting = await createRecord(db, contributor, {
    kind: 'practice',
    originalLang: 'fr',
    title: { fr: 'Partage des données ouvertes entre communes' },
    summary: { fr: 'Comment des communes partagent leurs données énergétiques.' },
  });
  await transitionRecord(db, contributor, waiting.id, 'submitted');

  app = Fastify({ logger: false });
  await app.register(compress, { global: true, threshold: 1024 });
  await registryApp(db, { app });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no port');
  base = `http://127.0.0.1:${addr.port}`;
  context = await chromium.launchPersistentContext(join(tmp.dir, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1200, height: 900 },
    // The pages' CSP forbids inline script; only the test's axe-core injection is let through.
    bypassCSP: true,
  });
}, 180_000);

afterAll(async () => {
  await context?.close();
  await app?.close();
  await db?.close();
  tmp.cleanup();
});

interface AxeViolation {
  id: string;
  help: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

async function axe(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: AXE });
  return page.evaluate(`axe
    .run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } })
    .then((r) => r.violations.map((v) => ({
      id: v.id,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    })))`) as Promise<AxeViolation[]>;
}

/** Signs the browser in as `who` (a session row, as sign-in makes) or out (null). */
async function signInAs(who: Actor | null): Promise<void> {
  await context.clearCookies();
  if (!who) return;
  const s = await createSession(db, who.userId);
  await context.addCookies([
    { name: PLAIN_SESSION_COOKIE, value: s.token, url: base, httpOnly: true, sameSite: 'Lax' },
  ]);
}

/** Opens a page as a first view and returns the bytes transferred and the requests made. */
async function firstView(
  page: Page,
  url: string,
): Promise<{ status: number; bytes: number; requests: number }> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  let bytes = 0;
  let requests = 0;
  const sizes: Promise<void>[] = [];
  page.on('requestfinished', (req) => {
    requests++;
    sizes.push(
      req.sizes().then((s) => {
        bytes += s.responseBodySize + s.responseHeadersSize;
      }),
    );
  });
  const res = await page.goto(`${base}${url}`, { waitUntil: 'load' });
  await Promise.all(sizes);
  return { status: res?.status() ?? 0, bytes, requests };
}

type Who = 'anonymous' | 'contributor' | 'moderator' | 'admin' | 'orgAdmin';
const PAGES: Array<[string, string, Who]> = [
  ['browse', '/registry?sdg=7', 'anonymous'],
  ['record', '/registry/record/NEED', 'anonymous'],
  ['submit', '/registry/new', 'contributor'],
  ['sign-in', '/registry/sign-in', 'anonymous'],
  ['moderation', '/registry/moderation', 'moderator'],
  ['account', '/registry/account', 'contributor'],
  ['organisations', '/registry/organisations', 'admin'],
  ['organisation-edit', '/registry/organisation/edit', 'orgAdmin'],
  ['edit-texts', '/registry/record/NEED/edit', 'admin'],
];

describe('registry pages in Chromium, English and Arabic', () => {
  for (const lang of ['en', 'ar'] as const) {
    for (const [name, path, who] of PAGES) {
      it(`${lang} ${name}: zero axe violations, first view within 150 KB`, async () => {
        const as = { anonymous: null, contributor, moderator, admin, orgAdmin }[who];
        await signInAs(as);
        const page = await context.newPage();
        const v = await firstView(page, `/${lang}${path.replace('NEED', needId)}`);
        expect(v.status).toBe(200);
        expect(v.requests).toBe(2); // the page and its stylesheet
        expect(v.bytes, `${lang} ${name}: ${v.bytes} bytes`).toBeLessThanOrEqual(150 * 1024);
        expect(await page.getAttribute('html', 'lang')).toBe(lang);
        expect(await page.getAttribute('html', 'dir')).toBe(lang === 'ar' ? 'rtl' : 'ltr');
        const violations = await axe(page);
        expect(violations, JSON.stringify(violations, null, 1)).toEqual([]);
        await page.screenshot({ path: join(SHOTS, `registry-${lang}-${name}.png`), fullPage: true });
        console.info(`registry ${lang} ${name}: ${v.bytes} bytes transferred`);
        if (name === 'record') expect(await page.locator('ol.matches meter').count()).toBeGreaterThan(0);
        if (name === 'organisations') {
          // The create form sent with a bad name and country: errors beside the fields, still axe-clean.
          await page.fill('#f-name', 'X');
          await page.fill('#f-country', 'XYZ');
          await Promise.all([page.waitForNavigation(), page.click('form[action$="/organisations"] button')]);
          expect(await page.getAttribute('#f-name', 'aria-invalid')).toBe('true');
          const errs = await axe(page);
          expect(errs, JSON.stringify(errs, null, 1)).toEqual([]);
        }
        if (name === 'submit') {
          // The same form sent empty: the errors are shown, and the page still passes axe.
          await Promise.all([page.waitForNavigation(), page.click('button[value="save"]')]);
          expect(await page.isVisible('.error-summary')).toBe(true);
          expect(await page.getAttribute('#f-title', 'aria-invalid')).toBe('true');
          expect(await page.getAttribute('#f-title', 'aria-describedby')).toBe('e-title');
          const errs = await axe(page);
          expect(errs, JSON.stringify(errs, null, 1)).toEqual([]);
          await page.screenshot({ path: join(SHOTS, `registry-${lang}-submit-errors.png`), fullPage: true });
        }
        await page.close();
      });
    }
  }
});

describe('the submit form by keyboard alone', () => {
  it('Tab through the fields, choose with the arrow keys and Space, send with Enter: the record is submitted', async () => {
    await signInAs(contributor);
    const page = await context.newPage();
    await page.goto(`${base}/en/registry/new`);
    const focused = () => page.evaluate('document.activeElement?.id') as Promise<string>;
    const tabTo = async (id: string) => {
      for (let i = 0; i < 80; i++) {
        await page.keyboard.press('Tab');
        if ((await focused()) === id) return;
      }
      throw new Error(`Tab never reached #${id}`);
    };
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.className')).toBe('skip');
    await tabTo('f-kind');
    expect(await page.evaluate('getComputedStyle(document.activeElement).outlineStyle')).not.toBe('none');
    await page.keyboard.press('ArrowDown'); // offer → need
    await tabTo('f-title');
    await page.keyboard.type('Water pumps for hillside farms');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('f-summary');
    await page.keyboard.type('Small farms on steep land need pumps to lift water for irrigation.');
    await tabTo('f-sdgs-6');
    await page.keyboard.press('Space');
    await tabTo('f-countries');
    await page.keyboard.type('KEN');
    // On to the "Save and send for review" button, and Enter.
    let onSubmit = false;
    for (let i = 0; i < 80 && !onSubmit; i++) {
      await page.keyboard.press('Tab');
      onSubmit = (await page.evaluate(
        "document.activeElement?.tagName === 'BUTTON' && document.activeElement?.value === 'submit'",
      )) as boolean;
    }
    expect(onSubmit).toBe(true);
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    const m = /\/en\/registry\/record\/([0-9a-f-]{36})$/.exec(page.url());
    expect(m, page.url()).not.toBeNull();
    expect(await page.textContent('main')).toContain('Awaiting review');
    const r = await getRecord(db, moderator, m![1]!);
    expect(r).toMatchObject({ kind: 'need', status: 'submitted', sdgs: [6], countries: ['KEN'] });
    expect(r.title.en).toBe('Water pumps for hillside farms');
    await page.screenshot({ path: join(SHOTS, 'registry-en-submit-keyboard.png'), fullPage: true });
    await page.close();
  });
});
