import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditTrail } from '../../src/registry/audit.ts';
import type { RegistryDb } from '../../src/registry/db.ts';
import { loadMigrations, migrate, schemaVersion } from '../../src/registry/migrate.ts';
import {
  createRecord,
  getRecord,
  moderationQueue,
  organisationRecords,
  transitionRecord,
  updateRecord,
} from '../../src/registry/records.ts';
import type { Actor } from '../../src/registry/roles.ts';
import { BACKENDS } from './backends.ts';
import { addOrg, addUser, recordInput, rejects } from './fixtures.ts';

describe.each(BACKENDS)('registry on $name', (backend) => {
  describe('migrations', () => {
    it('run forward from an empty database, once', async () => {
      const db = await backend.open({ migrated: false });
      try {
        const all = loadMigrations();
        expect(await migrate(db)).toEqual(all.map((m) => m.version));
        expect(await schemaVersion(db)).toBe(all.length);
        expect(await migrate(db)).toEqual([]);
        const tables = await db.query<{ t: string }>(
          "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
        );
        expect(tables.map((r) => r.t)).toEqual(
          expect.arrayContaining([
            'audit_log',
            'matches',
            'organisations',
            'records',
            'sessions',
            'threads',
            'users',
          ]),
        );
      } finally {
        await db.close();
      }
    });

    it('refuse a migration changed after it was applied', async () => {
      const db = await backend.open({ migrated: false });
      try {
        const all = loadMigrations();
        await migrate(db, all);
        const edited = all.map((m, i) => (i === 0 ? { ...m, checksum: 'changed' } : m));
        const e = await rejects(migrate(db, edited));
        expect(e.message).toMatch(/migration 1 \(init\) was changed after it was applied/);
      } finally {
        await db.close();
      }
    });
  });

  describe('records and the moderation workflow', () => {
    let db: RegistryDb;
    let orgA: string;
    let orgB: string;
    let author: Actor;
    let colleague: Actor;
    let outsider: Actor;
    let orgAdmin: Actor;
    let moderator: Actor;
    let viewer: Actor;

    beforeAll(async () => {
      db = await backend.open();
      orgA = (await addOrg(db, 'Ministry of ICT of Kenya')).id;
      orgB = (await addOrg(db, 'University of Nairobi', 'academia')).id;
      author = await addUser(db, 'contributor', orgA);
      colleague = await addUser(db, 'contributor', orgA);
      outsider = await addUser(db, 'contributor', orgB);
      orgAdmin = await addUser(db, 'org_admin', orgA);
      moderator = await addUser(db, 'moderator');
      viewer = await addUser(db, 'viewer', orgA);
    });
    afterAll(async () => db?.close());

    it('a record goes draft → submitted → rejected (with reason) → submitted → published → archived', async () => {
      const r = await createRecord(db, author, recordInput({ kind: 'need', countries: ['KEN'], sdgs: [2] }));
      expect(r.status).toBe('draft');
      expect(r.organisationId).toBe(orgA);
      // Kenya: Africa (002), Sub-Saharan Africa (202), Eastern Africa (014), from data/geos.csv.
      expect(r.regions).toEqual(['M49_002', 'M49_014', 'M49_202']);

      const s = await transitionRecord(db, author, r.id, 'submitted');
      expect(s.status).toBe('submitted');
      expect((await moderationQueue(db, moderator)).map((x) => x.id)).toContain(r.id);

      expect((await rejects(transitionRecord(db, moderator, r.id, 'rejected'))).location.field).toBe(
        'reason',
      );
      const rej = await transitionRecord(db, moderator, r.id, 'rejected', 'Please say which crops.');
      expect(rej.status).toBe('rejected');
      expect(rej.moderationNote).toBe('Please say which crops.');

      await updateRecord(
        db,
        author,
        r.id,
        recordInput({ kind: 'need', countries: ['KEN'], sdgs: [2], sectors: ['agriculture'] }),
      );
      await transitionRecord(db, author, r.id, 'submitted');
      const pub = await transitionRecord(db, moderator, r.id, 'published');
      expect(pub.status).toBe('published');
      expect(pub.publishedAt).toBeInstanceOf(Date);
      expect(pub.moderationNote).toBeNull();

      const e = await rejects(transitionRecord(db, moderator, r.id, 'submitted'));
      expect(e.code).toBe('forbidden'); // a moderator does not submit others' records
      const e2 = await rejects(transitionRecord(db, author, r.id, 'draft'));
      expect(e2.code).toBe('forbidden'); // published records are no longer the author's to withdraw
      const arch = await transitionRecord(db, orgAdmin, r.id, 'archived');
      expect(arch.status).toBe('archived');

      const trail = await auditTrail(db, 'record', r.id);
      expect(trail.map((a) => a.action)).toEqual([
        'record.create',
        'record.submit',
        'record.reject',
        'record.edit',
        'record.submit',
        'record.publish',
        'record.archive',
      ]);
      expect(trail[3]!.detail).toEqual({ changed: ['sectors'] });
      expect(trail[2]!.detail).toMatchObject({
        from: 'submitted',
        to: 'rejected',
        reason: 'Please say which crops.',
      });
      expect(trail.every((a) => a.actor_id !== null)).toBe(true);
    });

    it('moves the workflow does not allow are conflicts', async () => {
      const r = await createRecord(db, author, recordInput({ kind: 'offer' }));
      const e = await rejects(transitionRecord(db, moderator, r.id, 'published'));
      expect(e.code).toBe('conflict');
      expect(e.message).toBe('a draft record cannot become published');
    });

    it('role rules: who may edit, submit, see and moderate', async () => {
      const r = await createRecord(db, author, recordInput({ kind: 'offer' }));
      expect((await rejects(createRecord(db, viewer, recordInput({ kind: 'offer' })))).code).toBe(
        'forbidden',
      );
      expect((await rejects(createRecord(db, null, recordInput({ kind: 'offer' })))).code).toBe(
        'unauthenticated',
      );
      expect((await rejects(updateRecord(db, colleague, r.id, recordInput({ kind: 'offer' })))).code).toBe(
        'forbidden',
      );
      expect((await rejects(updateRecord(db, outsider, r.id, recordInput({ kind: 'offer' })))).code).toBe(
        'forbidden',
      );
      await updateRecord(db, orgAdmin, r.id, recordInput({ kind: 'offer', readiness: 7 }));
      expect((await rejects(moderationQueue(db, orgAdmin))).code).toBe('forbidden');

      // Unpublished records: hidden (404, not 403) from other organisations and the public.
      expect((await getRecord(db, colleague, r.id)).id).toBe(r.id);
      expect((await rejects(getRecord(db, outsider, r.id))).code).toBe('not_found');
      expect((await rejects(getRecord(db, null, r.id))).code).toBe('not_found');
      expect((await organisationRecords(db, null, orgA)).some((x) => x.id === r.id)).toBe(false);
      expect((await organisationRecords(db, colleague, orgA)).some((x) => x.id === r.id)).toBe(true);
    });

    it('the goals of SDG targets are stored with the goals (9.c → 9)', async () => {
      const r = await createRecord(
        db,
        author,
        recordInput({ kind: 'offer', sdgs: [4], sdgTargets: ['9.c', '17.8'] }),
      );
      expect(r.sdgs).toEqual([4, 9, 17]);
      expect(r.sdgTargets).toEqual(['9.c', '17.8']);
    });

    it('contact details are shown only with consent', async () => {
      const mk = async (consent: boolean) => {
        const r = await createRecord(
          db,
          author,
          recordInput({
            kind: 'offer',
            contactName: 'A. Person',
            contactEmail: 'a@example.org',
            contactConsent: consent,
          }),
        );
        await transitionRecord(db, author, r.id, 'submitted');
        await transitionRecord(db, moderator, r.id, 'published');
        return getRecord(db, null, r.id);
      };
      expect((await mk(true)).contactEmail).toBe('a@example.org');
      const hidden = await mk(false);
      expect(hidden.contactEmail).toBeNull();
      expect(hidden.contactName).toBeNull();
    });

    it('bad input names the field and writes nothing', async () => {
      const count = async () =>
        (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM records'))[0]!.n;
      const before = await count();
      const cases: [Record<string, unknown>, string, RegExp][] = [
        [
          recordInput({ kind: 'offer', countries: ['KEN', 'XXX'] }),
          'countries.1',
          /unknown country code 'XXX'/,
        ],
        [recordInput({ kind: 'offer', readiness: 10 }), 'readiness', /10|9/],
        [recordInput({ kind: 'offer', sdgTargets: ['9.z'] }), 'sdgTargets.0', /SDG target/],
        [{ ...recordInput({ kind: 'offer' }), title: {} }, 'title', /at least one language/],
        [{ ...recordInput({ kind: 'offer' }), kind: 'gift' }, 'kind', /./],
        [{ ...recordInput({ kind: 'offer' }), owner: 'me' }, '', /owner/],
      ];
      for (const [input, field, msg] of cases) {
        const e = await rejects(createRecord(db, author, input));
        expect(e.code, JSON.stringify(input)).toBe('invalid_input');
        if (field) expect(e.location.field).toBe(field);
        expect(e.message).toMatch(msg);
      }
      expect(await count()).toBe(before);
      const sub = await createRecord(db, author, recordInput({ kind: 'offer' }));
      await transitionRecord(db, author, sub.id, 'submitted');
      const nul = await rejects(transitionRecord(db, moderator, sub.id, 'rejected', 'bad\u0000reason'));
      expect(nul.location.field).toBe('reason');
      expect(await count()).toBe(before + 1);
      const e = await rejects(getRecord(db, author, "1' OR '1'='1"));
      expect(e.code).toBe('not_found');
    });
  });
});
