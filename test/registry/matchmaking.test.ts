/**
 * Matchmaking on a hand-built set of needs and offers in six languages, where the right offer for
 * each need is known from what the records say: it must rank first, with its reasons. Then the
 * workflow from match to partnership: notification of a strong match, express interest, thread,
 * partnership.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PontisError } from '../../src/core/errors.ts';
import type { RegistryDb } from '../../src/registry/db.ts';
import { cosine, Idf, MATCH_WEIGHTS, scoreMatch, textVector } from '../../src/registry/match-score.ts';
import { findMatches, organisationMatches, STRONG_MATCH } from '../../src/registry/matchmaking.ts';
import type { RecordInput } from '../../src/registry/model.ts';
import { createRecord, transitionRecord } from '../../src/registry/records.ts';
import type { Actor } from '../../src/registry/roles.ts';
import {
  expressInterest,
  getThread,
  myThreads,
  notifications,
  postMessage,
  setThreadState,
} from '../../src/registry/threads.ts';
import { BACKENDS } from './backends.ts';
import { addOrg, addUser } from './fixtures.ts';

type In = Partial<RecordInput> & Pick<RecordInput, 'kind' | 'title' | 'summary' | 'originalLang'>;

// The right offers, and near misses that share an SDG or a sector with a need (so they are
// candidates and must be out-ranked on what the records say).
const OFFERS: Record<string, In> = {
  dripKits: {
    kind: 'offer',
    originalLang: 'en',
    title: { en: 'Drip irrigation kits for vegetable growers' },
    summary: { en: 'Low-pressure drip lines and filters that save water on small vegetable plots.' },
    sdgs: [2, 6],
    sectors: ['agriculture', 'water'],
    readiness: 9,
    transferTerms: ['licence_fee'],
  },
  medicineStocks: {
    kind: 'offer',
    originalLang: 'en',
    title: { en: 'Medicine stock management for district hospitals' },
    summary: { en: 'Software that tracks stocks of essential medicines and warns before they run out.' },
    sdgs: [3],
    sectors: ['health'],
    readiness: 9,
    licence: 'MIT',
  },
  teacherTraining: {
    kind: 'offer',
    originalLang: 'fr',
    title: { fr: 'Formation en ligne des enseignants du primaire' },
    summary: { fr: 'Des cours en ligne pour former les enseignants à la pédagogie active.' },
    sdgs: [4],
    sectors: ['education'],
    licence: 'CC-BY-4.0',
  },
  creditScoring: {
    kind: 'offer',
    originalLang: 'ar',
    title: { ar: 'تقييم الجدارة الائتمانية للمشاريع الصغيرة' },
    summary: { ar: 'نموذج إحصائي يساعد المصارف على إقراض المشاريع الصغيرة والمتوسطة.' },
    sdgs: [8],
    sectors: ['finance'],
    transferTerms: ['licence_fee'],
  },
  ruralCommerce: {
    kind: 'offer',
    originalLang: 'zh',
    title: { zh: '农村电子商务平台' },
    summary: { zh: '帮助农民在网上销售农产品的电子商务平台。' },
    sdgs: [8, 9],
    sectors: ['trade', 'ict'],
    transferTerms: ['mutually_agreed_terms'],
  },
  solarPumps: {
    kind: 'offer',
    originalLang: 'es',
    title: { es: 'Bombas de riego solares para pequeños agricultores' },
    summary: {
      es: 'Sistema de bombeo de agua con energía solar para el riego de cultivos sin conexión a la red.',
    },
    sdgs: [2, 7],
    sectors: ['agriculture', 'energy'],
    readiness: 8,
    transferTerms: ['licence_fee', 'mutually_agreed_terms'],
  },
  telemedicine: {
    kind: 'offer',
    originalLang: 'fr',
    title: { fr: 'Plateforme de télémédecine à bas débit' },
    summary: { fr: 'Consultations médicales à distance qui fonctionnent avec une connexion mobile lente.' },
    sdgs: [3],
    sectors: ['health', 'ict'],
    readiness: 7,
    licence: 'Apache-2.0',
  },
  offlineLibrary: {
    kind: 'offer',
    originalLang: 'en',
    title: { en: 'Offline digital library for schools' },
    summary: {
      en: 'A server that holds textbooks and videos for pupils in schools without internet access.',
    },
    sdgs: [4],
    sectors: ['education', 'ict'],
    readiness: 9,
    licence: 'GPL-3.0-only',
  },
  waterSensors: {
    kind: 'offer',
    originalLang: 'ru',
    title: { ru: 'Датчики качества питьевой воды' },
    summary: { ru: 'Недорогие датчики, которые измеряют загрязнение питьевой воды в сельских районах.' },
    sdgs: [6],
    sectors: ['water'],
    countries: ['KAZ'],
    readiness: 6,
    transferTerms: ['licence_fee'],
  },
  mobilePayments: {
    kind: 'offer',
    originalLang: 'ar',
    title: { ar: 'منصة الدفع عبر الهاتف المحمول' },
    summary: { ar: 'برمجيات مفتوحة المصدر للمدفوعات الرقمية عبر الهاتف المحمول للأسر الريفية.' },
    sdgs: [1, 8],
    sectors: ['finance'],
    licence: 'Apache-2.0',
  },
  ruralBroadband: {
    kind: 'offer',
    originalLang: 'zh',
    title: { zh: '农村宽带无线网络设备' },
    summary: { zh: '为偏远村庄提供低成本的宽带无线网络接入设备。' },
    sdgs: [9],
    sectors: ['ict'],
    transferTerms: ['licence_fee', 'mutually_agreed_terms'],
  },
};

const NEEDS: Record<string, { input: In; best: keyof typeof OFFERS }> = {
  irrigationSenegal: {
    best: 'solarPumps',
    input: {
      kind: 'need',
      originalLang: 'fr',
      title: { fr: 'Irrigation solaire pour les petites exploitations agricoles' },
      summary: {
        fr: 'Les agriculteurs de la vallée du fleuve Sénégal cherchent des pompes pour irriguer sans réseau électrique.',
      },
      sdgs: [2, 7],
      sectors: ['agriculture', 'energy'],
      countries: ['SEN'],
    },
  },
  telemedicineKenya: {
    best: 'telemedicine',
    input: {
      kind: 'need',
      originalLang: 'en',
      title: { en: 'Telemedicine for rural clinics' },
      summary: { en: 'Rural clinics with slow mobile connections need remote medical consultations.' },
      sdgs: [3],
      sectors: ['health'],
      countries: ['KEN'],
      transferTerms: ['open_source'],
    },
  },
  schoolsPeru: {
    best: 'offlineLibrary',
    input: {
      kind: 'need',
      originalLang: 'es',
      title: { es: 'Biblioteca digital sin conexión para escuelas rurales' },
      summary: { es: 'Escuelas sin acceso a internet necesitan libros de texto digitales.' },
      sdgs: [4],
      sectors: ['education'],
      countries: ['PER'],
    },
  },
  paymentsEgypt: {
    best: 'mobilePayments',
    input: {
      kind: 'need',
      originalLang: 'ar',
      title: { ar: 'حلول المدفوعات الرقمية للأسر الريفية' },
      summary: { ar: 'تحتاج الأسر الريفية إلى الدفع عبر الهاتف المحمول بتكلفة منخفضة.' },
      sdgs: [1],
      sectors: ['finance'],
      countries: ['EGY'],
    },
  },
  villagesChina: {
    best: 'ruralBroadband',
    input: {
      kind: 'need',
      originalLang: 'zh',
      title: { zh: '偏远村庄需要宽带网络' },
      summary: { zh: '山区村庄缺少无线网络接入，需要低成本设备。' },
      sdgs: [9],
      sectors: ['ict'],
      countries: ['CHN'],
      transferTerms: ['mutually_agreed_terms'],
    },
  },
};

describe('match score (pure)', () => {
  it('factor contributions are weight × value and sum to the score', () => {
    const s = scoreMatch({
      need: {
        ...NEEDS.telemedicineKenya!.input,
        sdgTargets: [],
        countries: ['KEN'],
        sectors: ['health'],
        readiness: null,
        licence: null,
        transferTerms: ['open_source'],
        sdgs: [3],
      },
      offer: {
        ...OFFERS.telemedicine!,
        sdgTargets: [],
        countries: [],
        sectors: ['health', 'ict'],
        readiness: 7,
        licence: 'Apache-2.0',
        transferTerms: [],
        sdgs: [3],
      },
    });
    const by = Object.fromEntries(s.factors.map((f) => [f.factor, f]));
    // Worked by hand: SDG 3 shared (1/1), health shared (1/1), offer global (0.6), need readiness
    // unknown (0.5), Apache-2.0 is open so open_source is offered (1).
    expect(by.sdg!.value).toBe(1);
    expect(by.sector!.value).toBe(1);
    expect(by.geography!.value).toBe(0.6);
    expect(by.readiness!.value).toBe(0.5);
    expect(by.terms!.value).toBe(1);
    expect(by.terms!.evidence.shared).toEqual(['open_source']);
    for (const f of s.factors) expect(f.contribution).toBeCloseTo(f.weight * f.value, 12);
    expect(s.score).toBeCloseTo(
      s.factors.reduce((a, f) => a + f.contribution, 0),
      6,
    );
    expect(Object.values(MATCH_WEIGHTS).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('cosine on a hand-worked pair', () => {
    // "water pumps" vs "water" with two documents: idf(water) = ln(3/3)+1 = 1, idf(pumps) = ln(3/2)+1.
    // Titles count twice: tf = 2 → weight (1 + ln 2) × idf. cos = w_water² / (|a| |b|).
    const a = textVector({ title: { en: 'water pumps' }, summary: {} });
    const b = textVector({ title: { en: 'water' }, summary: {} });
    const idf = new Idf();
    idf.add(a);
    idf.add(b);
    const t = 1 + Math.log(2);
    const wp = t * (Math.log(3 / 2) + 1);
    const expected = (t * t) / (Math.sqrt(t * t + wp * wp) * t);
    expect(cosine(a, b, idf).value).toBeCloseTo(expected, 12);
    expect(cosine(a, b, idf).shared).toEqual(['water']);
  });

  it('an offer only on terms the need rules out is no match, however close', () => {
    const need = {
      title: { en: 'Water quality sensors' },
      summary: { en: 'Sensors for drinking water.' },
      sdgs: [6],
      sdgTargets: [],
      countries: [],
      sectors: ['water' as const],
      readiness: null,
      licence: null,
      transferTerms: ['open_source' as const],
    };
    const offer = { ...need, transferTerms: ['licence_fee' as const] };
    const s = scoreMatch({ need, offer });
    expect(s.compatible).toBe(false);
    expect(s.score).toBe(0);
    expect(s.factors.find((f) => f.factor === 'terms')!.evidence.missing).toEqual(['licence_fee']);
  });
});

async function rejects(p: Promise<unknown>): Promise<PontisError> {
  try {
    await p;
  } catch (e) {
    return e as PontisError;
  }
  throw new Error('expected the call to fail');
}

describe.each(BACKENDS)('matchmaking on $name', (backend) => {
  let db: RegistryDb;
  let moderator: Actor;
  const offerIds: Record<string, string> = {};
  const needIds: Record<string, string> = {};
  const offerOrg: Record<string, string> = {};
  const authors: Record<string, Actor> = {};

  const publish = async (author: Actor, input: In) => {
    const r = await createRecord(db, author, input);
    await transitionRecord(db, author, r.id, 'submitted');
    return transitionRecord(db, moderator, r.id, 'published');
  };

  beforeAll(async () => {
    db = await backend.open();
    moderator = await addUser(db, 'moderator');
    for (const [key, input] of Object.entries(OFFERS)) {
      const org = await addOrg(db, `Offer organisation ${key}`);
      offerOrg[key] = org.id;
      authors[key] = await addUser(db, 'contributor', org.id);
      offerIds[key] = (await publish(authors[key]!, input)).id;
    }
    for (const [key, { input }] of Object.entries(NEEDS)) {
      const org = await addOrg(db, `Need organisation ${key}`);
      authors[key] = await addUser(db, 'contributor', org.id);
      needIds[key] = (await publish(authors[key]!, input)).id;
    }
  });
  afterAll(async () => db?.close());

  it.each(Object.keys(NEEDS))('need %s: the right offer ranks first, with its reasons', async (key) => {
    const { matches } = await findMatches(db, null, needIds[key]!);
    expect(matches.length).toBeGreaterThan(0);
    expect(matches[0]!.record.id).toBe(offerIds[NEEDS[key]!.best]);
    const top = matches[0]!;
    expect(top.factors.map((f) => f.factor).sort()).toEqual([
      'geography',
      'readiness',
      'sdg',
      'sector',
      'terms',
      'text',
    ]);
    expect(top.factors.find((f) => f.factor === 'sdg')!.evidence.shared!.length).toBeGreaterThan(0);
    for (let i = 1; i < matches.length; i++)
      expect(matches[i - 1]!.score).toBeGreaterThanOrEqual(matches[i]!.score);
  });

  it('explanations name the shared words across languages (télémédecine ~ telemedicine)', async () => {
    const { matches } = await findMatches(db, null, needIds.telemedicineKenya!);
    const text = matches[0]!.factors.find((f) => f.factor === 'text')!;
    expect(text.value).toBeGreaterThan(0);
    expect(text.evidence.shared).toContain('telemedicine');
  });

  it('from an offer, the needs it answers', async () => {
    const { matches } = await findMatches(db, null, offerIds.ruralBroadband!);
    expect(matches[0]!.record.id).toBe(needIds.villagesChina);
  });

  it('an open-source-only need never gets an offer on licence fees alone', async () => {
    const org = await addOrg(db, 'Water utility of Almaty');
    const a = await addUser(db, 'contributor', org.id);
    const need = await publish(a, {
      kind: 'need',
      originalLang: 'ru',
      title: { ru: 'Датчики качества питьевой воды для сельских районов' },
      summary: { ru: 'Нужны недорогие датчики загрязнения питьевой воды.' },
      sdgs: [6],
      sectors: ['water'],
      countries: ['KAZ'],
      transferTerms: ['open_source'],
    });
    const { matches } = await findMatches(db, null, need.id);
    expect(matches.map((m) => m.record.id)).not.toContain(offerIds.waterSensors);
  });

  it('matchmaking pairs needs and offers only; bad ids are not found', async () => {
    const org = await addOrg(db, 'An academy');
    const a = await addUser(db, 'contributor', org.id);
    const ini = await publish(a, {
      kind: 'initiative',
      originalLang: 'en',
      title: { en: 'A programme' },
      summary: { en: 'It runs.' },
    });
    expect((await rejects(findMatches(db, null, ini.id))).code).toBe('invalid_input');
    expect((await rejects(findMatches(db, null, 'not-a-uuid'))).code).toBe('not_found');
    expect((await rejects(findMatches(db, null, needIds.schoolsPeru!, { limit: 0 }))).location.field).toBe(
      'limit',
    );
  });

  it('a strong match is stored on publication and notifies both organisations', async () => {
    const need = authors.telemedicineKenya!;
    const offer = authors.telemedicine!;
    const stored = await organisationMatches(db, need.organisationId!);
    const m = stored.find((x) => x.offerId === offerIds.telemedicine);
    expect(m).toBeDefined();
    expect(m!.score).toBeGreaterThanOrEqual(STRONG_MATCH);
    for (const who of [need, offer]) {
      const n = await notifications(db, who);
      expect(n.some((x) => x.kind === 'match.new' && x.payload.matchId === m!.id)).toBe(true);
    }
  });

  it('express interest → thread between the two organisations → partnership', async () => {
    const needSide = authors.telemedicineKenya!;
    const offerSide = authors.telemedicine!;
    const outsider = authors.schoolsPeru!;
    const t = await expressInterest(db, needSide, {
      needId: needIds.telemedicineKenya!,
      offerId: offerIds.telemedicine!,
      message: 'Could your platform run in 40 clinics in Turkana?',
    });
    expect(t.fromOrg).toBe(needSide.organisationId);
    expect(t.toOrg).toBe(offerSide.organisationId);
    expect(t.messages.map((m) => m.body)).toEqual(['Could your platform run in 40 clinics in Turkana?']);
    expect((await notifications(db, offerSide)).some((n) => n.kind === 'thread.interest')).toBe(true);
    expect(
      (await organisationMatches(db, needSide.organisationId!)).find((m) => m.id === t.matchId)!.state,
    ).toBe('interest');

    // The same pair again reuses the open thread.
    const again = await expressInterest(db, needSide, {
      needId: needIds.telemedicineKenya!,
      offerId: offerIds.telemedicine!,
      message: 'And 10 more?',
    });
    expect(again.id).toBe(t.id);

    await postMessage(db, offerSide, t.id, 'Yes: it needs 64 kbit/s per consultation.');
    expect((await rejects(getThread(db, outsider, t.id))).code).toBe('not_found');
    expect((await rejects(postMessage(db, outsider, t.id, 'hello'))).code).toBe('not_found');
    expect((await rejects(postMessage(db, offerSide, t.id, '   '))).location.field).toBe('body');
    expect(
      (
        await rejects(
          expressInterest(db, outsider, {
            needId: needIds.telemedicineKenya!,
            offerId: offerIds.telemedicine!,
            message: 'me too',
          }),
        )
      ).code,
    ).toBe('forbidden');

    const p = await setThreadState(db, offerSide, t.id, 'partnership');
    expect(p.state).toBe('partnership');
    expect(p.messages).toHaveLength(3);
    expect(
      (await organisationMatches(db, needSide.organisationId!)).find((m) => m.id === t.matchId)!.state,
    ).toBe('partnership');
    expect((await myThreads(db, needSide)).map((x) => x.id)).toContain(t.id);
    expect((await rejects(setThreadState(db, needSide, t.id, 'closed'))).code).toBe('conflict');
  });
});
