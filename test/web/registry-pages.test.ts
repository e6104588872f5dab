/**
 * The registry's pages in-process (app.inject) over a real database, on every backend: every page
 * type in English and Arabic, then the whole way of a record and of a partnership through the forms
 * a browser would post — sign-up, sign-in, a validation error named beside its field, SDG
 * suggestions, submission, moderation, search with facets, express interest, reply, partnership —
 * and a password reset through the outbox. Also the registry inside the full server (API and pages).
 */
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegistryDb } from '../../src/registry/db.ts';
import { createLimits } from '../../src/registry/rate-limit.ts';
import { createRecord, getRecord, transitionRecord } from '../../src/registry/records.ts';
import type { Actor } from '../../src/registry/roles.ts';
import { SEARCH_LIMITS } from '../../src/registry/search.ts';
import { expressInterest } from '../../src/registry/threads.ts';
import { buildApp } from '../../src/server/app.ts';
import { openStore } from '../../src/store/store.ts';
import { buildWebTestApp, webPlugin } from '../../src/web/index.ts';
import { tmpDir } from '../helpers.ts';
import { BACKENDS } from '../registry/backends.ts';
import { addOrg, addUser } from '../registry/fixtures.ts';
import { htmlAttr, location, registryApp, tableCounts, Visitor } from './registry-helpers.ts';

/** Text of a page without tags, entities decoded for the few the templates write. */
const text = (body: string) =>
  body
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

const NEED = {
  kind: 'need',
  originalLang: 'en',
  title: { en: 'Electricity for rural health clinics in western Kenya' },
  summary: {
    en: 'County clinics without grid power need solar electricity and batteries to keep vaccines cold and lights on at night.',
  },
  sdgs: [3, 7],
  countries: ['KEN'],
  sectors: ['energy', 'health'],
  readiness: 7,
  transferTerms: ['open_source', 'donation'],
} as const;

describe.each(BACKENDS)('registry pages ($name)', (backend) => {
  let db: RegistryDb;
  let app: FastifyInstance;
  let orgA: string;
  let orgB: string;
  let adminA: Actor;
  let contribB: Actor;
  let moderator: Actor;
  let siteAdmin: Actor;
  let needId: string;

  beforeAll(async () => {
    db = await backend.open();
    app = await registryApp(db, { limits: createLimits() });
    orgA = (await addOrg(db, 'Sunrise Energy Institute', 'academia')).id;
    orgB = (await addOrg(db, 'Kisumu County Health Department')).id;
    adminA = await addUser(db, 'org_admin', orgA);
    contribB = await addUser(db, 'contributor', orgB);
    moderator = await addUser(db, 'moderator');
    siteAdmin = await addUser(db, 'admin');
    const need = await createRecord(db, contribB, NEED);
    await transitionRecord(db, contribB, need.id, 'submitted');
    await transitionRecord(db, moderator, need.id, 'published');
    needId = need.id;
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  describe('every page type in English and Arabic', () => {
    for (const lang of ['en', 'ar'] as const) {
      it(`${lang}: 200, lang and dir, one h1, the page's own content`, async () => {
        const anon = new Visitor(app);
        const b = await Visitor.as(app, db, contribB);
        const a = await Visitor.as(app, db, adminA);
        const mod = await Visitor.as(app, db, moderator);
        const sa = await Visitor.as(app, db, siteAdmin);
        // A thread for the thread page (B's need, an offer of A's).
        const offer = await createRecord(db, adminA, {
          kind: 'offer',
          originalLang: 'en',
          title: { en: `Solar cold boxes for clinics (${lang})` },
          summary: { en: 'Battery-backed solar refrigerators for vaccines, open hardware.' },
          sdgs: [3, 7],
          countries: ['KEN'],
          licence: 'CERN-OHL-P-2.0',
        });
        await transitionRecord(db, adminA, offer.id, 'submitted');
        await transitionRecord(db, moderator, offer.id, 'published');
        const thread = await expressInterest(db, contribB, {
          needId,
          offerId: offer.id,
          message: 'Could we pilot two boxes?',
        });
        const draft = await createRecord(db, contribB, {
          kind: 'practice',
          originalLang: 'en',
          title: { en: 'Draft practice note' },
          summary: { en: 'Not yet sent.' },
        });
        const T = lang === 'ar';
        const pages: [Visitor, string, string][] = [
          [anon, '/registry', T ? 'سجل تيسير التكنولوجيا' : 'Technology facilitation registry'],
          [anon, `/registry/record/${needId}`, 'Electricity for rural health clinics in western Kenya'],
          [anon, '/registry/sign-in', T ? 'تسجيل الدخول' : 'Sign in'],
          [anon, '/registry/sign-up', T ? 'إنشاء حساب' : 'Create an account'],
          [anon, '/registry/forgot-password', T ? 'نسيت كلمة المرور' : 'Forgotten password'],
          [
            anon,
            `/reset-password?token=${'a'.repeat(43)}`,
            T ? 'اختيار كلمة مرور جديدة' : 'Choose a new password',
          ],
          [b, '/registry/new', T ? 'تقديم سجل' : 'Submit a record'],
          [b, `/registry/record/${draft.id}/edit`, T ? 'تعديل السجل' : 'Edit the record'],
          [a, '/registry/organisation', 'Sunrise Energy Institute'],
          [b, '/registry/matches', T ? 'المطابقات الخاصة بي' : 'My matches'],
          [b, `/registry/thread/${thread.id}`, 'Could we pilot two boxes?'],
          [mod, '/registry/moderation', T ? 'قائمة المراجعة' : 'Moderation queue'],
          [b, '/registry/account', T ? 'تغيير كلمة المرور' : 'Change your password'],
          [a, '/registry/organisation/edit', T ? 'تعديل بيانات المنظمة' : 'Edit the organisation'],
          [sa, '/registry/organisations', T ? 'إنشاء منظمة' : 'Create an organisation'],
          [a, '/registry/matches', T ? 'وضع علامة «مقروء» على الكل' : 'Mark all as read'],
        ];
        for (const [who, path, content] of pages) {
          const r = await who.get(`/${lang}${path}`);
          expect(r.statusCode, `${lang}${path}`).toBe(200);
          expect(r.headers['content-type']).toMatch(/text\/html; charset=utf-8/);
          expect(r.headers['cache-control']).toBe('private, no-store');
          expect(r.headers['content-security-policy']).toContain("default-src 'none'");
          expect(htmlAttr(r.body, 'lang')).toBe(lang);
          expect(htmlAttr(r.body, 'dir')).toBe(T ? 'rtl' : 'ltr');
          expect(r.body.match(/<h1[\s>]/g), path).toHaveLength(1);
          expect(text(r.body), `${lang}${path}`).toContain(content);
          expect(r.body).toContain('hreflang="zh"');
        }
      });
    }

    it('the record page gives every field in the page language, contact only with consent', async () => {
      const anon = new Visitor(app);
      const en = text((await anon.get(`/en/registry/record/${needId}`)).body);
      expect(en).toContain(
        'Goal 7. Ensure access to affordable, reliable, sustainable and modern energy for all',
      );
      expect(en).toContain('Kenya');
      expect(en).toContain('Eastern Africa');
      expect(en).toContain('Open source and Donation');
      expect(en).toContain('Level 7 of 9');
      const ar = text((await anon.get(`/ar/registry/record/${needId}`)).body);
      expect(ar).toContain('كينيا');
      expect(ar).toContain('الطاقة');
      // No consent: the contact is not shown (there is none here either); with consent it is.
      const withContact = await createRecord(db, contribB, {
        ...NEED,
        title: { en: 'Need with a public contact' },
        contactName: 'Wanjiru Otieno',
        contactEmail: 'wanjiru@example.org',
        contactConsent: true,
      });
      const hidden = await createRecord(db, contribB, {
        ...NEED,
        title: { en: 'Need with a private contact' },
        contactName: 'Hidden Person',
        contactEmail: 'hidden@example.org',
        contactConsent: false,
      });
      for (const r of [withContact, hidden]) {
        await transitionRecord(db, contribB, r.id, 'submitted');
        await transitionRecord(db, moderator, r.id, 'published');
      }
      expect((await anon.get(`/en/registry/record/${withContact.id}`)).body).toContain('wanjiru@example.org');
      const h = (await anon.get(`/en/registry/record/${hidden.id}`)).body;
      expect(h).not.toContain('hidden@example.org');
      expect(h).not.toContain('Hidden Person');
    });
  });

  it('the whole way: sign-up, sign-in, a record with errors, SDG suggestions, moderation, search, interest, thread, partnership', async () => {
    const amina = new Visitor(app, '10.1.0.1');
    // Sign-up: the form carries a CSRF token from a new anonymous session.
    const signUpPage = await amina.get('/en/registry/sign-up');
    expect(signUpPage.headers['set-cookie']).toBeDefined();
    expect(amina.csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const password = 'sunny mornings by lake victoria';
    const up = await amina.post('/en/registry/sign-up', {
      displayName: 'Amina Odhiambo',
      email: 'Amina@Example.org',
      password,
    });
    expect(up.statusCode).toBe(303);
    expect(location(up)).toBe('/en/registry/sign-in?created=1');
    const notice = await amina.get(location(up));
    expect(text(notice.body)).toContain('Your account has been created');
    const anonymousToken = amina.cookie;
    const signedIn = await amina.post('/en/registry/sign-in', { email: 'amina@example.org', password });
    expect(signedIn.statusCode).toBe(303);
    expect(location(signedIn)).toBe('/en/registry/account');
    expect(amina.cookie).not.toBe(anonymousToken);
    const account = await amina.get('/en/registry/account');
    expect(text(account.body)).toContain('Signed in as Amina Odhiambo');
    expect(text(account.body)).toContain('Contributor');

    // Her organisation's admin adds her.
    const admin = await Visitor.as(app, db, adminA);
    const added = await admin.post('/en/registry/organisation/members', {
      email: 'amina@example.org',
      role: 'contributor',
    });
    expect(added.statusCode).toBe(303);
    expect(text((await admin.get('/en/registry/organisation')).body)).toContain('Amina Odhiambo');

    // A record: first with errors, each named beside its field and in the summary.
    const form = await amina.get('/en/registry/new');
    expect(form.statusCode).toBe(200);
    const before = await tableCounts(db);
    const bad = await amina.post('/en/registry/new', {
      action: 'save',
      kind: 'offer',
      originalLang: 'en',
      title: '',
      summary: 'Solar mini-grids for villages.',
      countries: 'KEN, XYZ',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('<a href="#f-title">Title: Give a title.</a>');
    expect(bad.body).toContain('aria-describedby="e-title"');
    expect(bad.body).toMatch(/<p class="field-error" id="e-title">.*Give a title\.<\/p>/);
    expect(text(bad.body)).toContain(
      'Countries: Use three-letter ISO country codes, for example KEN. (“XYZ”)',
    );
    expect(bad.body).toContain('>Solar mini-grids for villages.</textarea>'); // the author's text is kept
    expect(await tableCounts(db)).toEqual(before);

    // Suggest SDGs: the tagger ticks goal 7 and shows its evidence; nothing is saved.
    const fields = {
      kind: 'offer',
      originalLang: 'en',
      title: 'Solar mini-grids for rural villages',
      summary:
        'Off-grid solar power and batteries bring affordable clean electricity to households, schools and clinics.',
      countries: 'KEN',
      sectors: ['energy'],
      readiness: '8',
      licence: 'MIT',
      transferTerms: ['open_source'],
    };
    const suggested = await amina.post('/en/registry/new', { ...fields, action: 'suggest' });
    expect(suggested.statusCode).toBe(200);
    expect(suggested.body).toMatch(/<input type="checkbox" id="f-sdgs-7" name="sdgs" value="7" checked>/);
    expect(suggested.body).not.toMatch(/id="f-sdgs-5" name="sdgs" value="5" checked/);
    expect(text(suggested.body)).toMatch(/Suggested because of: [^<]*electricity/);
    expect(text(suggested.body)).toContain('Suggested goals, ticked below: 7');
    expect(await tableCounts(db)).toEqual(before);

    // The author confirms goal 7 and sends the record for review.
    const sent = await amina.post('/en/registry/new', { ...fields, sdgs: ['7'], action: 'submit' });
    expect(sent.statusCode).toBe(303);
    const offerId = /\/en\/registry\/record\/([0-9a-f-]{36})$/.exec(location(sent))![1]!;
    const stored = await getRecord(db, moderator, offerId);
    expect(stored.status).toBe('submitted');
    expect(stored.sdgs).toEqual([7]);
    expect(stored.organisationId).toBe(orgA);
    expect(text((await amina.get(location(sent))).body)).toContain('Status: Awaiting review');

    // Not public yet.
    expect((await new Visitor(app).get(`/en/registry/record/${offerId}`)).statusCode).toBe(404);

    // The moderator publishes it from the queue.
    const mod = await Visitor.as(app, db, moderator);
    const queue = await mod.get('/en/registry/moderation');
    expect(text(queue.body)).toContain('Solar mini-grids for rural villages');
    const pub = await mod.post(`/en/registry/record/${offerId}/status`, {
      to: 'published',
      back: 'moderation',
    });
    expect(pub.statusCode).toBe(303);
    expect(location(pub)).toBe('/en/registry/moderation');
    expect((await getRecord(db, null, offerId)).status).toBe('published');

    // Search finds it, with its facets; the filters narrow to it.
    const anon = new Visitor(app);
    const found = await anon.get('/en/registry?q=clean%20electricity%20households');
    expect(found.statusCode).toBe(200);
    expect(text(found.body)).toContain('Solar mini-grids for rural villages');
    expect(found.body).toContain('<mark>households</mark>');
    const filtered = await anon.get('/en/registry?kind=offer&sdg=7&country=KEN&licence=open&readiness_min=8');
    const ft = text(filtered.body);
    expect(ft).toContain('Solar mini-grids for rural villages');
    expect(ft).toContain('Results: 1');
    expect(filtered.body).toMatch(/id="fc-kind-offer" name="kind" value="offer" checked/);
    expect(filtered.body).toMatch(
      /id="fc-sdg-7" name="sdg" value="7" checked><label for="fc-sdg-7">7\. Affordable and clean energy <span class="count">\(1\)<\/span>/,
    );
    expect(filtered.body).toMatch(
      /id="fc-country-KEN" name="country" value="KEN" checked><label for="fc-country-KEN">Kenya/,
    );
    const ar = await anon.get('/ar/registry?country=KEN&kind=offer');
    expect(text(ar.body)).toContain('كينيا');
    expect(text(ar.body)).toContain('Solar mini-grids for rural villages');

    // B's need lists the offer among its matches, each factor explained in a sentence.
    const needPage = text((await anon.get(`/en/registry/record/${needId}`)).body);
    expect(needPage).toContain('Offers that could answer this need');
    expect(needPage).toContain('Solar mini-grids for rural villages');
    expect(needPage).toContain('Both serve SDG 7: Affordable and clean energy.');
    expect(needPage).toContain('Both concern Kenya.');
    expect(needPage).toContain('The offer is at level 8, at least the level 7 the need asks for.');
    expect(needPage).toContain('The offer is available on terms the need accepts: Open source.');

    // B expresses interest from its need on the offer's page: a thread opens.
    const b = await Visitor.as(app, db, contribB);
    const offerPage = await b.get(`/en/registry/record/${offerId}`);
    expect(offerPage.body).toContain(`<option value="${needId}">`);
    const interest = await b.post('/en/registry/interest', {
      offerId,
      needId,
      message: 'We would like mini-grids for our clinics.',
    });
    expect(interest.statusCode).toBe(303);
    const threadUrl = location(interest);
    expect(threadUrl).toMatch(/^\/en\/registry\/thread\/[0-9a-f-]{36}$/);

    // Amina sees it in her matches and replies; B marks the partnership.
    const mine = text((await amina.get('/en/registry/matches')).body);
    expect(mine).toContain('Conversation with Kisumu County Health Department');
    expect(mine).toContain('Another organisation expressed interest.');
    const thread = await amina.get(threadUrl);
    expect(text(thread.body)).toContain('We would like mini-grids for our clinics.');
    const reply = await amina.post(`${threadUrl}/messages`, { body: 'Gladly: <b>two</b> villages first.' });
    expect(reply.statusCode).toBe(303);
    const seen = await b.get(threadUrl);
    expect(seen.body).toContain('Gladly: &lt;b&gt;two&lt;/b&gt; villages first.');
    const partner = await b.post(`${threadUrl}/state`, { state: 'partnership' });
    expect(partner.statusCode).toBe(303);
    expect(text((await amina.get(threadUrl)).body)).toContain('Status: Partnership');
  });

  it('password reset through the outbox: the mailed link sets a new password and ends the sessions', async () => {
    const v = new Visitor(app, '10.2.0.1');
    await v.get('/en/registry/sign-up');
    const old = 'first password of grace';
    expect(
      (
        await v.post('/en/registry/sign-up', {
          displayName: 'Grace Wambui',
          email: 'grace@example.org',
          password: old,
        })
      ).statusCode,
    ).toBe(303);
    await v.get('/en/registry/sign-in');
    expect(
      (await v.post('/en/registry/sign-in', { email: 'grace@example.org', password: old })).statusCode,
    ).toBe(303);
    const signedInToken = v.cookie;

    const other = new Visitor(app, '10.2.0.2');
    await other.get('/en/registry/forgot-password');
    const asked = await other.post('/en/registry/forgot-password', { email: 'grace@example.org' });
    expect(asked.statusCode).toBe(200);
    expect(text(asked.body)).toContain(
      'If this address has an account, a link to choose a new password is on its way.',
    );
    // An unknown address gets the same answer and no mail.
    const outboxBefore = await tableCounts(db);
    const unknown = await other.post('/en/registry/forgot-password', { email: 'nobody@example.org' });
    expect(text(unknown.body)).toContain('If this address has an account');
    expect((await tableCounts(db)).outbox).toBe(outboxBefore.outbox);

    const mail = (
      await db.query<{ to_address: string; body: string }>(
        "SELECT to_address, body FROM outbox WHERE to_address = 'grace@example.org' ORDER BY id DESC LIMIT 1",
      )
    )[0]!;
    const link = /https:\/\/pontis\.example(\/en\/reset-password\?token=[A-Za-z0-9_-]{43})/.exec(mail.body);
    expect(link, mail.body).not.toBeNull();
    const resetPage = await other.get(link![1]!);
    expect(resetPage.statusCode).toBe(200);
    expect(resetPage.headers['referrer-policy']).toBe('no-referrer');
    const token = /name="token" value="([^"]+)"/.exec(resetPage.body)![1]!;
    const fresh = 'second password of grace';
    const done = await other.post('/en/reset-password', { token, password: fresh });
    expect(done.statusCode).toBe(303);
    expect(location(done)).toBe('/en/registry/sign-in?reset=1');
    // The link works once.
    const again = await other.post('/en/reset-password', { token, password: 'third password of grace' });
    expect(again.statusCode).toBe(400);
    expect(text(again.body)).toContain('This link is invalid, used or expired.');

    // The session from before the reset is over; the old password fails, the new one works.
    v.cookie = signedInToken;
    const afterReset = await v.get('/en/registry/account');
    expect(afterReset.statusCode).toBe(303);
    expect(location(afterReset)).toMatch(/^\/en\/registry\/sign-in/);
    await v.get('/en/registry/sign-in');
    expect(
      (await v.post('/en/registry/sign-in', { email: 'grace@example.org', password: old })).statusCode,
    ).toBe(401);
    expect(
      (await v.post('/en/registry/sign-in', { email: 'grace@example.org', password: fresh })).statusCode,
    ).toBe(303);
  });

  describe('account, notifications, organisations and texts in other languages', () => {
    for (const lang of ['en', 'ar'] as const) {
      it(`${lang}: change the password (wrong current one beside its field, other sessions end)`, async () => {
        const T = lang === 'ar';
        const v = new Visitor(app, `10.3.0.${lang === 'en' ? 1 : 2}`);
        await v.get(`/${lang}/registry/sign-up`);
        const email = `pw-${lang}@example.org`;
        const old = 'the first passphrase of mine';
        await v.post(`/${lang}/registry/sign-up`, { displayName: 'Pat Doe', email, password: old });
        await v.get(`/${lang}/registry/sign-in`);
        expect((await v.post(`/${lang}/registry/sign-in`, { email, password: old })).statusCode).toBe(303);
        const other = new Visitor(app, '10.3.1.1');
        await other.get(`/${lang}/registry/sign-in`);
        await other.post(`/${lang}/registry/sign-in`, { email, password: old });
        expect((await other.get(`/${lang}/registry/account`)).statusCode).toBe(200);
        await v.get(`/${lang}/registry/account`);
        const wrong = await v.post(`/${lang}/registry/account/password`, {
          currentPassword: 'not my passphrase at all',
          newPassword: 'the second passphrase of mine',
        });
        expect(wrong.statusCode).toBe(400);
        expect(wrong.body).toContain('aria-describedby="e-currentPassword"');
        expect(text(wrong.body)).toContain(
          T ? 'كلمة المرور الحالية غير صحيحة.' : 'The current password is wrong.',
        );
        expect(wrong.body).toContain('<a href="#f-currentPassword">');
        const fresh = 'the second passphrase of mine';
        const ok = await v.post(`/${lang}/registry/account/password`, {
          currentPassword: old,
          newPassword: fresh,
        });
        expect(ok.statusCode).toBe(303);
        const after = await v.get(location(ok).split('#')[0]!);
        expect(after.statusCode).toBe(200);
        expect(text(after.body)).toContain(T ? 'تم تغيير كلمة المرور.' : 'Your password was changed.');
        expect((await other.get(`/${lang}/registry/account`)).statusCode).toBe(303); // signed out
        const again = new Visitor(app, '10.3.2.1');
        await again.get(`/${lang}/registry/sign-in`);
        expect((await again.post(`/${lang}/registry/sign-in`, { email, password: fresh })).statusCode).toBe(
          303,
        );
      });
    }

    it('a wrong current password counts toward the sign-in limit', async () => {
      const limited = await registryApp(db, { limits: createLimits() });
      try {
        const v = new Visitor(limited, '10.3.3.1');
        await v.get('/en/registry/sign-up');
        const email = 'limit-pw@example.org';
        const password = 'my right passphrase here';
        await v.post('/en/registry/sign-up', { displayName: 'Lim It', email, password });
        await v.get('/en/registry/sign-in');
        await v.post('/en/registry/sign-in', { email, password });
        await v.get('/en/registry/account');
        for (let i = 0; i < 5; i++)
          expect(
            (
              await v.post('/en/registry/account/password', {
                currentPassword: `wrong ${i} guess`,
                newPassword: 'a brand new passphrase',
              })
            ).statusCode,
          ).toBe(400);
        const blocked = await v.post('/en/registry/account/password', {
          currentPassword: password,
          newPassword: 'a brand new passphrase',
        });
        expect(blocked.statusCode).toBe(429);
      } finally {
        await limited.close();
      }
    });

    it('notifications: the unread count, then "mark all as read" (own organisation only, audited)', async () => {
      const offer = await createRecord(db, adminA, {
        kind: 'offer',
        originalLang: 'en',
        title: { en: 'Solar pumps for notifications' },
        summary: { en: 'Pumps for clinics and farms.' },
      });
      await transitionRecord(db, adminA, offer.id, 'submitted');
      await transitionRecord(db, moderator, offer.id, 'published');
      await expressInterest(db, contribB, { needId, offerId: offer.id, message: 'Interested again.' });
      const a = await Visitor.as(app, db, adminA);
      for (const lang of ['en', 'ar'] as const) {
        const page = await a.get(`/${lang}/registry/matches`);
        expect(page.body).toMatch(
          lang === 'en' ? /Notifications <span class="badge">\(\d+ unread\)/ : /غير المقروءة: \d+/,
        );
      }
      const unreadB = async () =>
        (
          await db.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM notifications WHERE organisation_id = $1 AND read_at IS NULL',
            [orgB],
          )
        )[0]!.n;
      const bBefore = await unreadB();
      const r = await a.post('/ar/registry/notifications/read');
      expect(r.statusCode).toBe(303);
      const after = await a.get(location(r).split('#')[0]!);
      expect(text(after.body)).toContain('وُضعت علامة «مقروء» على جميع الإشعارات.');
      expect(after.body).not.toContain('class="badge"');
      const left = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM notifications WHERE organisation_id = $1 AND read_at IS NULL',
        [orgA],
      );
      expect(left[0]!.n).toBe(0);
      expect(await unreadB()).toBe(bBefore);
      const audit = await db.query<{ action: string }>(
        "SELECT action FROM audit_log WHERE actor_id = $1 AND action = 'notifications.read'",
        [adminA.userId],
      );
      expect(audit).toHaveLength(1);
    });

    it('organisations: an admin creates one (errors beside fields) and adds a user; its org admin edits it', async () => {
      const sa = await Visitor.as(app, db, siteAdmin);
      await sa.get('/en/registry/organisations');
      const before = await tableCounts(db);
      const bad = await sa.post('/en/registry/organisations', {
        name: 'X',
        stakeholderType: 'government',
        country: 'XYZ',
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain('aria-describedby="e-name"');
      expect(text(bad.body)).toContain('Give a name of 2 to 300 characters.');
      expect(await tableCounts(db)).toEqual(before);
      const badCountry = await sa.post('/ar/registry/organisations', {
        name: 'Nairobi Makers',
        stakeholderType: 'civil_society',
        country: 'XYZ',
      });
      expect(badCountry.statusCode).toBe(400);
      expect(badCountry.body).toMatch(/<p class="field-error" id="e-country">.*استخدم رمز بلد ISO/);
      expect(badCountry.body).toContain('value="Nairobi Makers"');
      const ok = await sa.post('/en/registry/organisations', {
        name: 'Nairobi Makers',
        stakeholderType: 'civil_society',
        country: 'ken',
        url: 'https://makers.example',
      });
      expect(ok.statusCode).toBe(303);
      const list = await sa.get(location(ok).split('#')[0]!);
      expect(text(list.body)).toContain('Nairobi Makers');
      expect(text(list.body)).toContain('The organisation was created.');
      const dup = await sa.post('/en/registry/organisations', {
        name: 'nairobi makers',
        stakeholderType: 'academia',
      });
      expect(dup.statusCode).toBe(409);
      expect(text(dup.body)).toContain('An organisation with this name exists already.');
      const org = (
        await db.query<{ id: string }>("SELECT id FROM organisations WHERE name = 'Nairobi Makers'")
      )[0]!;
      const newbie = await addUser(db, 'viewer');
      const email = (
        await db.query<{ email: string }>('SELECT email FROM users WHERE id = $1', [newbie.userId])
      )[0]!.email;
      const missing = await sa.post('/en/registry/organisations/members', {
        email: 'nobody-here@example.org',
        organisationId: org.id,
        role: 'org_admin',
      });
      expect(missing.statusCode).toBe(400);
      expect(missing.body).toContain('aria-describedby="h-email e-email"');
      const added = await sa.post('/en/registry/organisations/members', {
        email,
        organisationId: org.id,
        role: 'org_admin',
      });
      expect(added.statusCode).toBe(303);
      const member = (
        await db.query<{ role: string; organisation_id: string }>(
          'SELECT role, organisation_id FROM users WHERE id = $1',
          [newbie.userId],
        )
      )[0]!;
      expect(member).toEqual({ role: 'org_admin', organisation_id: org.id });

      const oa = await Visitor.as(app, db, { ...newbie, role: 'org_admin', organisationId: org.id });
      expect((await oa.get('/en/registry/organisation')).body).toContain(
        'href="/en/registry/organisation/edit"',
      );
      const form = await oa.get('/ar/registry/organisation/edit');
      expect(form.body).toContain('value="Nairobi Makers"');
      const badUrl = await oa.post('/en/registry/organisation/edit', {
        name: 'Nairobi Makers',
        stakeholderType: 'civil_society',
        url: 'not a url',
      });
      expect(badUrl.statusCode).toBe(400);
      expect(badUrl.body).toContain('aria-describedby="e-url"');
      const saved = await oa.post('/en/registry/organisation/edit', {
        name: 'Nairobi Makers Collective',
        stakeholderType: 'civil_society',
        country: 'KEN',
      });
      expect(saved.statusCode).toBe(303);
      expect(text((await oa.get(location(saved))).body)).toContain('The organisation was saved.');
      expect(text((await oa.get(location(saved))).body)).toContain('Nairobi Makers Collective');
    });

    it('edit: add a French title and summary, change the Arabic one, keep the Spanish one untouched', async () => {
      const r = await createRecord(db, contribB, {
        kind: 'practice',
        originalLang: 'en',
        title: { en: 'Shared clinic data', ar: 'بيانات العيادات', es: 'Datos compartidos' },
        summary: {
          en: 'How clinics share data.',
          ar: 'كيف تتشارك العيادات البيانات.',
          es: 'Cómo comparten datos.',
        },
      });
      const b = await Visitor.as(app, db, contribB);
      for (const lang of ['en', 'ar'] as const) {
        const form = await b.get(`/${lang}/registry/record/${r.id}/edit`);
        expect(form.statusCode).toBe(200);
        expect(form.body).toMatch(/<details class="text-lang" open><summary><span lang="es">Español/);
        expect(form.body).toContain('name="title_fr"');
        expect(form.body).not.toContain('name="title_en"');
        expect(text(form.body)).toContain(lang === 'en' ? 'Title in French' : 'العنوان باللغة الفرنسية');
      }
      const base = {
        action: 'save',
        kind: 'practice',
        originalLang: 'en',
        title: 'Shared clinic data',
        summary: 'How clinics share data.',
      };
      const half = await b.post(`/en/registry/record/${r.id}/edit`, {
        ...base,
        title_fr: 'Données partagées',
      });
      expect(half.statusCode).toBe(400);
      expect(half.body).toContain(
        '<a href="#f-text_fr">Title in French: Give both a title and a summary, or neither.</a>',
      );
      const ok = await b.post(`/en/registry/record/${r.id}/edit`, {
        ...base,
        title_fr: 'Données des cliniques partagées',
        summary_fr: 'Comment les cliniques partagent leurs données.',
        title_ar: 'بيانات العيادات المشتركة',
        summary_ar: 'كيف تتشارك العيادات البيانات.',
        title_es: 'Datos compartidos',
        summary_es: 'Cómo comparten datos.',
        title_zh: '',
        summary_zh: '',
      });
      expect(ok.statusCode).toBe(303);
      const stored = await getRecord(db, contribB, r.id);
      expect(stored.title).toEqual({
        en: 'Shared clinic data',
        fr: 'Données des cliniques partagées',
        ar: 'بيانات العيادات المشتركة',
        es: 'Datos compartidos',
      });
      expect(stored.summary.fr).toBe('Comment les cliniques partagent leurs données.');
      // A form that does not carry a language (an older page) keeps its text.
      const kept = await b.post(`/en/registry/record/${r.id}/edit`, {
        ...base,
        title: 'Shared clinic data, v2',
      });
      expect(kept.statusCode).toBe(303);
      expect((await getRecord(db, contribB, r.id)).title.fr).toBe('Données des cliniques partagées');
    });
  });

  describe('inside the full server (buildApp with registry)', () => {
    let full: Awaited<ReturnType<typeof buildApp>>;
    const tmp = tmpDir('pontis-registry-app-');
    let store: Awaited<ReturnType<typeof openStore>>;
    beforeAll(async () => {
      store = await openStore({ path: join(tmp.dir, 'empty.duckdb') });
      full = await buildApp({ store, web: webPlugin, registry: db, registryWeb: { limits: createLimits() } });
      const offer = await createRecord(db, adminA, {
        kind: 'offer',
        originalLang: 'en',
        title: { en: 'Solar electricity kits for clinics' },
        summary: { en: 'Panels and batteries that keep clinic lights and vaccine fridges on.' },
        sdgs: [7],
        countries: ['KEN'],
        sectors: ['energy'],
        transferTerms: ['donation'],
      });
      await transitionRecord(db, adminA, offer.id, 'submitted');
      await transitionRecord(db, moderator, offer.id, 'published');
    }, 60_000);
    afterAll(async () => {
      await full?.close();
      store?.close();
      tmp.cleanup();
    });

    it('pages are never cached or given an ETag: each visitor gets their own CSRF token', async () => {
      const a = await full.inject({ url: '/en/registry/sign-in' });
      const b = await full.inject({ url: '/en/registry/sign-in' });
      for (const r of [a, b]) {
        expect(r.statusCode).toBe(200);
        expect(r.headers.etag).toBeUndefined();
        expect(r.headers['cache-control']).toBe('private, no-store');
        expect(r.headers['content-security-policy']).toContain("form-action 'self'");
      }
      expect(/name="_csrf" value="([^"]+)"/.exec(a.body)![1]).not.toBe(
        /name="_csrf" value="([^"]+)"/.exec(b.body)![1],
      );
      expect((await full.inject({ url: '/en/registry' })).body).toContain(
        'Electricity for rural health clinics',
      );
    });

    it('the header links to the registry (and the account) only where the site serves the registry', async () => {
      const nav = /<nav class="site-nav" aria-label="[^"]+">(.*?)<\/nav>/s;
      const withRegistry = await full.inject({ url: '/en/methodology' });
      expect(withRegistry.statusCode).toBe(200);
      expect(nav.exec(withRegistry.body)![1]).toContain('<a href="/en/registry">Registry</a>');
      expect(withRegistry.body).toContain('href="/en/registry/account"');
      const registryPage = await full.inject({ url: '/en/registry' });
      expect(nav.exec(registryPage.body)![1]).toContain('href="/en/registry" aria-current="page"');
      const observatory = await buildWebTestApp(store);
      try {
        for (const url of ['/en/methodology', '/ar/methodology', '/en/no-such-page']) {
          const r = await observatory.inject({ url });
          expect(nav.exec(r.body), url).not.toBeNull();
          expect(r.body, url).not.toMatch(/href="\/[a-z]{2}\/registry/);
        }
        expect((await observatory.inject({ url: '/en/registry' })).statusCode).toBe(404);
      } finally {
        await observatory.close();
      }
    });

    it('GET /api/registry/records: search with facets; bad values are problems naming the parameter', async () => {
      const r = await full.inject({ url: '/api/registry/records?q=clinics&country=KEN&kind=need&lang=fr' });
      expect(r.statusCode).toBe(200);
      expect(r.headers.etag).toBeUndefined();
      expect(r.headers['cache-control']).toBe('no-store');
      const body = r.json() as {
        total: number;
        hits: { record: { id: string; kind: string } }[];
        facets: { country: { value: string; count: number }[] };
      };
      expect(body.total).toBeGreaterThan(0);
      expect(body.hits.map((h) => h.record.kind)).toEqual(body.hits.map(() => 'need'));
      expect(body.hits.map((h) => h.record.id)).toContain(needId);
      expect(body.facets.country.find((f) => f.value === 'KEN')?.count).toBe(body.total);
      for (const [qs, parameter] of [
        ["country=KEN'%20OR%20'1'%3D'1", 'country'],
        ['sdg=1%20OR%201%3D1', 'sdg'],
        ['readiness_min=9&readiness_max=2', 'readiness_min'],
        ['page_size=1000', 'page_size'],
        ['kind=gadget', 'kind'],
        ['colour=red', 'colour'],
      ] as const) {
        const p = await full.inject({ url: `/api/registry/records?${qs}` });
        expect(p.statusCode, qs).toBe(400);
        expect(p.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(p.json().parameter, qs).toBe(parameter);
      }
    });

    it('a search with more candidates than examined: "at least N" on the page, totalIsLowerBound in the API', async () => {
      const saved = SEARCH_LIMITS.candidates;
      SEARCH_LIMITS.candidates = 1;
      try {
        expect(text((await full.inject({ url: '/en/registry?sector=energy' })).body)).toMatch(
          /Results: at least [1-9]/,
        );
        const api = (await full.inject({ url: '/api/registry/records?sector=energy' })).json();
        expect(api.totalIsLowerBound).toBe(true);
        expect(api.total).toBeGreaterThan(0);
      } finally {
        SEARCH_LIMITS.candidates = saved;
      }
      expect(text((await full.inject({ url: '/en/registry?sector=energy' })).body)).not.toContain('at least');
      expect(
        (await full.inject({ url: '/api/registry/records?sector=energy' })).json().totalIsLowerBound,
      ).toBe(false);
    });

    it('GET /api/registry/records/{id} and …/matches: the public record and its explained matches', async () => {
      const r = await full.inject({ url: `/api/registry/records/${needId}` });
      expect(r.statusCode).toBe(200);
      expect(r.json().title.en).toBe(NEED.title.en);
      expect(r.json().contactEmail).toBeNull();
      const m = await full.inject({ url: `/api/registry/records/${needId}/matches?limit=3` });
      expect(m.statusCode).toBe(200);
      const matches = m.json().matches as {
        score: number;
        factors: { factor: string; contribution: number }[];
      }[];
      expect(matches.length).toBeGreaterThan(0);
      expect(matches.length).toBeLessThanOrEqual(3);
      for (const x of matches) {
        expect(x.factors.map((f) => f.factor).sort()).toEqual([
          'geography',
          'readiness',
          'sdg',
          'sector',
          'terms',
          'text',
        ]);
        expect(x.score).toBeCloseTo(
          x.factors.reduce((s, f) => s + f.contribution, 0),
          5,
        );
      }
      expect((await full.inject({ url: '/api/registry/records/not-a-uuid' })).json().parameter).toBe('id');
      const missing = await full.inject({
        url: '/api/registry/records/00000000-0000-4000-8000-000000000000',
      });
      expect(missing.statusCode).toBe(404);
      expect(
        (await full.inject({ url: `/api/registry/records/${needId}/matches?limit=0` })).json().parameter,
      ).toBe('limit');
    });
  });
});
