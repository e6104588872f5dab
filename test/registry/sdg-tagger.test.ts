import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  assignParts,
  docSections,
  type Evaluation,
  evaluate,
  loadLabelled,
  prf,
  readDocSections,
  report,
} from '../../src/registry/sdg-eval.ts';
import {
  auroraTags,
  OFFICIAL_ONLY_PARAMS,
  suggestSdgs,
  TAGGER_PARAMS,
} from '../../src/registry/sdg-tagger.ts';
import { guessLang, stemArabic, terms } from '../../src/registry/sdg-text.ts';

describe('suggestSdgs in the six UN languages', () => {
  const cases: Array<[string, string, number]> = [
    ['en', 'Solar mini-grids bring affordable electricity to rural villages without access to energy.', 7],
    [
      'fr',
      "Des mini-réseaux solaires fournissent de l'électricité aux villages ruraux qui n'ont pas accès à l'énergie.",
      7,
    ],
    ['zh', '该项目为农村地区的小学教育提供数字化学习资源，帮助儿童完成小学教育。', 4],
    [
      'es',
      'Minirredes solares que llevan electricidad y energía renovable a comunidades rurales sin acceso a la energía.',
      7,
    ],
    ['ru', 'Программа обеспечивает доступ к чистой питьевой воде и санитарии в сельских школах.', 6],
    ['ar', 'مشروع لتوفير مياه الشرب المأمونة وخدمات الصرف الصحي للأسر في المناطق الريفية', 6],
    ['en', 'A mobile app that helps smallholder farmers increase crop yields and improve food security.', 2],
    ['fr', 'Une plateforme pour réduire la mortalité maternelle et améliorer la santé des nouveau-nés.', 3],
  ];
  for (const [lang, text, sdg] of cases) {
    it(`${lang}: ${text.slice(0, 40)}… → SDG ${sdg}`, () => {
      expect(guessLang(text)).toBe(lang);
      const s = suggestSdgs(text);
      expect(s[0]?.sdg).toBe(sdg);
      expect(s[0]!.evidence.length).toBeGreaterThan(0);
    });
  }

  it('the example of docs/sdg-tagging.md', () => {
    expect(
      suggestSdgs(
        'Solar mini-grids bring affordable electricity to rural villages without access to energy.',
      ),
    ).toEqual([{ sdg: 7, score: 0.37, evidence: ['access', 'electricity', 'affordable', 'energy'] }]);
  });

  it('evidence shows the matched text: Aurora stretches, whole Chinese words', () => {
    const en = suggestSdgs('The programme aims at reducing extreme poverty among rural households.');
    expect(en[0]?.sdg).toBe(1);
    expect(en[0]!.evidence).toContain('reducing extreme poverty');
    const zh = suggestSdgs('该项目为农村地区的小学教育提供数字化学习资源，帮助儿童完成小学教育。');
    expect(zh[0]!.evidence).toContain('小学教育');
  });

  it('sorted by score, thresholded, limit and all', () => {
    const text =
      'Clean water and sanitation for schools, and solar energy for clinics to improve maternal health.';
    const all = suggestSdgs(text, { all: true });
    const some = suggestSdgs(text);
    expect(all.length).toBeGreaterThan(some.length);
    for (let i = 1; i < all.length; i++) expect(all[i - 1]!.score).toBeGreaterThanOrEqual(all[i]!.score);
    for (const s of some) expect(s.score).toBeGreaterThanOrEqual(TAGGER_PARAMS.threshold);
    expect(suggestSdgs(text, { limit: 1 })).toEqual(some.slice(0, 1));
    expect(suggestSdgs('')).toEqual([]);
    expect(suggestSdgs('Lorem ipsum dolor sit amet.')).toEqual([]);
  });

  it('lang option picks the parameter set', () => {
    const text = 'Access to energy.';
    const asFr = suggestSdgs(text, { lang: 'fr', all: true });
    const asEn = suggestSdgs(text, { lang: 'en', all: true });
    expect(asFr[0]?.sdg).toBe(7);
    expect(asFr[0]!.score).toBe(OFFICIAL_ONLY_PARAMS.wOfficial);
    expect(asEn[0]?.sdg).toBe(7);
  });
});

describe('normalisation', () => {
  it('Arabic: alef/hamza forms, ta marbuta, article', () => {
    expect(stemArabic('الإدارة')).toBe(stemArabic('ادارة'));
    expect(stemArabic('والمياه')).toBe(stemArabic('مياه'));
    expect(stemArabic('أَطْفال')).toBe(stemArabic('اطفال'));
  });
  it('Chinese bigrams; Latin prefixes; stop words', () => {
    expect(terms('小学教育').map((t) => t.term)).toEqual(['小学', '学教', '教育']);
    expect(terms('énergies Energía energy policies policy').map((t) => t.term)).toEqual([
      'energi',
      'energi',
      'energi',
      'polici',
      'polici',
    ]);
    expect(terms('the and of')).toEqual([]);
  });
});

describe('the baseline', () => {
  it('tags the goals whose Aurora query lines match', () => {
    expect(auroraTags('Policies to eradicate extreme poverty.')).toContain(1);
    expect(auroraTags('Conservation of tropical forests.')).toContain(15);
    expect(auroraTags('Conservation of tropical forests and the sea.')).not.toContain(15); // AND NOT
    expect(auroraTags('Lorem ipsum.')).toEqual([]);
  });
});

describe('metrics and split', () => {
  it('precision, recall, F1 by hand', () => {
    expect(prf({ tp: 3, fp: 1, fn: 3, tn: 5 })).toEqual({ precision: 0.75, recall: 0.5, f1: 0.6 });
    expect(prf({ tp: 0, fp: 0, fn: 2, tn: 1 })).toEqual({ precision: 0, recall: 0, f1: 0 });
    const rows = [
      { text: 'a', sdg: 1, label: true },
      { text: 'b', sdg: 1, label: false },
      { text: 'c', sdg: 2, label: true },
      { text: 'd', sdg: 2, label: true },
    ];
    const r = report(rows, [true, true, true, false]);
    expect(r.perSdg[0]).toMatchObject({ tp: 1, fp: 1, precision: 0.5, recall: 1 });
    expect(r.perSdg[1]).toMatchObject({ tp: 1, fn: 1, precision: 1, recall: 0.5 });
    expect(r.macro.precision).toBe(0.75);
    expect(r.micro).toEqual(prf({ tp: 2, fp: 1, fn: 1, tn: 0 }));
  });

  it('is deterministic, stratified, and keeps each text on one side', () => {
    const rows = loadLabelled();
    expect(rows).toHaveLength(625);
    const side = assignParts(rows, 2);
    expect(assignParts([...rows].reverse(), 2)).toEqual([...side].reverse());
    const sideOf = new Map<string, Set<number>>();
    rows.forEach((r, i) => {
      const s = sideOf.get(r.text) ?? new Set();
      s.add(side[i]!);
      sideOf.set(r.text, s);
    });
    expect(sideOf.size).toBe(624);
    for (const s of sideOf.values()) expect(s.size).toBe(1);
    for (let sdg = 1; sdg <= 17; sdg++) {
      for (const label of [true, false]) {
        const n = rows
          .map((r, i) => [r, side[i]] as const)
          .filter(([r]) => r.sdg === sdg && r.label === label);
        const tuning = n.filter(([, s]) => s === 0).length;
        expect(Math.abs(tuning - (n.length - tuning)), `SDG ${sdg} ${label}`).toBeLessThanOrEqual(2);
      }
    }
  });
});

describe('evaluation on the labelled sample', () => {
  let ev: Evaluation;
  beforeAll(() => {
    ev = evaluate({ crossValidate: true });
  });

  it('tuning on the tuning split picks the shipped parameters', () => {
    expect(ev.tuned.params).toEqual(TAGGER_PARAMS);
    expect(ev.tunedOfficialOnly.params).toEqual(OFFICIAL_ONLY_PARAMS);
  });

  it('beats the Aurora queries alone on held-out rows and in cross-validation', () => {
    expect(ev.heldOut.tagger.macro.f1).toBeGreaterThan(ev.heldOut.aurora.macro.f1);
    expect(ev.heldOut.tagger.micro.f1).toBeGreaterThan(ev.heldOut.aurora.micro.f1);
    expect(ev.crossValidated!.tagger.macro.f1).toBeGreaterThan(ev.crossValidated!.aurora.macro.f1);
  });

  it('the statements of "Reading the figures" in docs/sdg-tagging.md hold', () => {
    const cv = ev.crossValidated!;
    for (const t of [ev.heldOut, cv]) {
      expect(t.aurora.macro.recall).toBeLessThan(0.5);
      expect(t.aurora.macro.recall).toBeGreaterThan(0.14);
      expect(t.aurora.macro.precision).toBeGreaterThan(t.tagger.macro.precision);
      expect(t.tagger.macro.recall).toBeGreaterThan(t.aurora.macro.recall);
      expect(t.tagger.macro.f1 - t.aurora.macro.f1).toBeGreaterThan(0.25);
      expect(t.officialOnly.macro.f1).toBeGreaterThan(t.aurora.macro.f1);
      expect(t.tagger.macro.f1).toBeGreaterThan(t.officialOnly.macro.f1);
      const worst = [...t.tagger.perSdg].sort((a, b) => a.f1 - b.f1)[0]!;
      expect(worst.sdg).toBe(5);
    }
    expect(Math.abs(ev.tuned.macroF1 - ev.heldOut.tagger.macro.f1)).toBeLessThan(0.05);
  });

  it('docs/sdg-tagging.md quotes exactly the computed figures', () => {
    const doc = readDocSections(readFileSync(new URL('../../docs/sdg-tagging.md', import.meta.url), 'utf8'));
    const computed = docSections(ev);
    expect(Object.keys(doc).sort()).toEqual(Object.keys(computed).sort());
    for (const [name, md] of Object.entries(computed)) expect(doc[name], name).toBe(md);
  });
});
