/**
 * Generated registry records for benchmarks (search, matchmaking): deterministic for a seed,
 * multilingual text built from the UN's SDG target and indicator titles in the six languages
 * (data/sdg_names.csv) plus a small vocabulary of technology names, with kinds, SDGs, countries
 * (and their M49 regions), sectors, readiness, licences and dates spread.
 *
 *   import { generateRecords, loadRecords } from '../registry/generate.ts';
 *   const recs = generateRecords(100_000, 42);
 *   await loadRecords(db, recs);          // multi-row INSERTs of 1,000 rows in one transaction
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import type { Queryable, RegistryDb } from '../../src/registry/db.ts';
import { regionsOf, registryGeos } from '../../src/registry/geo.ts';
import {
  LANGS,
  type Lang,
  type LangText,
  OPEN_LICENCES,
  type RecordInput,
  type RecordKind,
  SECTORS,
  type Status,
  TRANSFER_TERMS,
} from '../../src/registry/model.ts';

export interface GeneratedRecord {
  id: string;
  status: Status;
  publishedAt: Date | null;
  createdAt: Date;
  regions: string[];
  input: RecordInput;
}

/** mulberry32: a small, fast, seedable PRNG (uniform in [0, 1)). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const weighted = <T>(r: Rand, xs: readonly (readonly [T, number])[]): T => {
  const total = xs.reduce((s, [, w]) => s + w, 0);
  let x = r() * total;
  for (const [v, w] of xs) {
    x -= w;
    if (x < 0) return v;
  }
  return xs.at(-1)![0];
};
const sample = <T>(r: Rand, xs: readonly T[], n: number): T[] => {
  const out = new Set<T>();
  while (out.size < Math.min(n, xs.length)) out.add(pick(r, xs));
  return [...out];
};

/** Technology names in the six languages (the words people type into a registry search). */
export const TECHNOLOGIES: Record<Lang, string>[] = [
  {
    en: 'Solar irrigation pumps',
    fr: "Pompes d'irrigation solaires",
    es: 'Bombas de riego solares',
    ru: 'Солнечные ирригационные насосы',
    ar: 'مضخات الري بالطاقة الشمسية',
    zh: '太阳能灌溉泵',
  },
  {
    en: 'Mobile health platform',
    fr: 'Plateforme de santé mobile',
    es: 'Plataforma de salud móvil',
    ru: 'Мобильная платформа здравоохранения',
    ar: 'منصة الصحة المتنقلة',
    zh: '移动医疗平台',
  },
  {
    en: 'Off-grid solar mini-grids',
    fr: 'Mini-réseaux solaires hors réseau',
    es: 'Minirredes solares aisladas',
    ru: 'Автономные солнечные мини-сети',
    ar: 'شبكات شمسية صغيرة خارج الشبكة',
    zh: '离网太阳能微电网',
  },
  {
    en: 'Water purification membranes',
    fr: "Membranes de purification de l'eau",
    es: 'Membranas de purificación de agua',
    ru: 'Мембраны для очистки воды',
    ar: 'أغشية تنقية المياه',
    zh: '水净化膜',
  },
  {
    en: 'Digital learning tools for schools',
    fr: "Outils d'apprentissage numérique pour les écoles",
    es: 'Herramientas de aprendizaje digital para escuelas',
    ru: 'Цифровые инструменты обучения для школ',
    ar: 'أدوات التعلم الرقمي للمدارس',
    zh: '学校数字学习工具',
  },
  {
    en: 'Mobile money for farmers',
    fr: 'Argent mobile pour les agriculteurs',
    es: 'Dinero móvil para agricultores',
    ru: 'Мобильные деньги для фермеров',
    ar: 'الأموال المتنقلة للمزارعين',
    zh: '农民移动支付',
  },
  {
    en: 'Satellite crop monitoring',
    fr: 'Surveillance des cultures par satellite',
    es: 'Monitoreo satelital de cultivos',
    ru: 'Спутниковый мониторинг посевов',
    ar: 'رصد المحاصيل بالأقمار الصناعية',
    zh: '卫星作物监测',
  },
  {
    en: 'Open data portal',
    fr: 'Portail de données ouvertes',
    es: 'Portal de datos abiertos',
    ru: 'Портал открытых данных',
    ar: 'بوابة البيانات المفتوحة',
    zh: '开放数据门户',
  },
  {
    en: 'Rural broadband networks',
    fr: 'Réseaux haut débit ruraux',
    es: 'Redes de banda ancha rurales',
    ru: 'Сельские широкополосные сети',
    ar: 'شبكات النطاق العريض الريفية',
    zh: '农村宽带网络',
  },
  {
    en: 'Clean cooking stoves',
    fr: 'Foyers de cuisson propres',
    es: 'Estufas de cocina limpia',
    ru: 'Чистые кухонные плиты',
    ar: 'مواقد الطهي النظيفة',
    zh: '清洁炉灶',
  },
  {
    en: 'Early warning system for floods',
    fr: "Système d'alerte précoce aux inondations",
    es: 'Sistema de alerta temprana de inundaciones',
    ru: 'Система раннего оповещения о наводнениях',
    ar: 'نظام الإنذار المبكر بالفيضانات',
    zh: '洪水预警系统',
  },
  {
    en: 'Vaccine cold chain sensors',
    fr: 'Capteurs de chaîne du froid pour vaccins',
    es: 'Sensores de cadena de frío para vacunas',
    ru: 'Датчики холодовой цепи для вакцин',
    ar: 'أجهزة استشعار سلسلة التبريد للقاحات',
    zh: '疫苗冷链传感器',
  },
  {
    en: 'Electric public transport',
    fr: 'Transports publics électriques',
    es: 'Transporte público eléctrico',
    ru: 'Электрический общественный транспорт',
    ar: 'النقل العام الكهربائي',
    zh: '电动公共交通',
  },
  {
    en: 'Recycling of electronic waste',
    fr: 'Recyclage des déchets électroniques',
    es: 'Reciclaje de residuos electrónicos',
    ru: 'Переработка электронных отходов',
    ar: 'إعادة تدوير النفايات الإلكترونية',
    zh: '电子废物回收',
  },
  {
    en: 'Drought-resistant seed varieties',
    fr: 'Variétés de semences résistantes à la sécheresse',
    es: 'Variedades de semillas resistentes a la sequía',
    ru: 'Засухоустойчивые сорта семян',
    ar: 'أصناف بذور مقاومة للجفاف',
    zh: '抗旱种子品种',
  },
  {
    en: 'Telemedicine for remote clinics',
    fr: 'Télémédecine pour les cliniques isolées',
    es: 'Telemedicina para clínicas remotas',
    ru: 'Телемедицина для отдалённых клиник',
    ar: 'التطبيب عن بعد للعيادات النائية',
    zh: '偏远诊所远程医疗',
  },
];

interface Vocabulary {
  targets: { goal: number; code: string; text: Record<Lang, string> }[];
  indicators: Record<Lang, string>[];
}

let vocab: Vocabulary | null = null;

export function vocabulary(): Vocabulary {
  if (vocab) return vocab;
  const file = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'data', 'sdg_names.csv');
  const rows = parse(readFileSync(file), { columns: true, skip_empty_lines: true }) as {
    kind: string;
    code: string;
    lang: Lang;
    title: string;
  }[];
  const groups = new Map<string, Partial<Record<Lang, string>>>();
  for (const r of rows) {
    const key = `${r.kind}|${r.code}`;
    const g = groups.get(key) ?? {};
    g[r.lang] = r.title.replace(/\s+/g, ' ').trim();
    groups.set(key, g);
  }
  const complete = (g: Partial<Record<Lang, string>>): g is Record<Lang, string> =>
    LANGS.every((l) => (g[l]?.length ?? 0) > 0);
  const targets: Vocabulary['targets'] = [];
  const indicators: Vocabulary['indicators'] = [];
  for (const [key, g] of groups) {
    if (!complete(g)) continue;
    const [kind, code] = key.split('|') as [string, string];
    if (kind === 'target' && /^\d+\.[0-9a-z]+$/.test(code))
      targets.push({ goal: Number(code.split('.')[0]), code, text: g });
    else if (kind === 'indicator') indicators.push(g);
  }
  vocab = { targets, indicators };
  return vocab;
}

/** The first words of a text (characters for Chinese), ending at a word boundary. */
function shorten(s: string, lang: Lang, words: number): string {
  if (lang === 'zh') return s.slice(0, words * 2).replace(/[，,、；]$/, '');
  return s
    .split(' ')
    .slice(0, words)
    .join(' ')
    .replace(/[,;:]$/, '');
}

const LICENCES_OPEN = [...OPEN_LICENCES];
const LICENCES_OTHER = ['LicenseRef-Proprietary', 'LicenseRef-Commercial', 'LicenseRef-Custom'];
const T0 = Date.UTC(2023, 0, 1);
const SPAN = 3 * 365 * 86_400_000;

function uuid(r: Rand): string {
  const h = Array.from({ length: 32 }, () => Math.floor(r() * 16).toString(16));
  h[12] = '4';
  h[16] = '89ab'[Math.floor(r() * 4)]!;
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/** `n` records, the same for the same seed. About 94% published, the rest draft/submitted/archived. */
export function generateRecords(n: number, seed = 42): GeneratedRecord[] {
  const r = prng(seed);
  const { targets, indicators } = vocabulary();
  const countries = [...registryGeos().keys()];
  const out: GeneratedRecord[] = [];
  for (let i = 0; i < n; i++) {
    const kind = weighted<RecordKind>(r, [
      ['offer', 35],
      ['need', 25],
      ['initiative', 20],
      ['practice', 12],
      ['publication', 8],
    ]);
    const originalLang = weighted<Lang>(r, [
      ['en', 40],
      ['fr', 15],
      ['es', 15],
      ['ar', 10],
      ['ru', 10],
      ['zh', 10],
    ]);
    const langs = LANGS.filter((l) => l === originalLang || r() < (l === 'en' ? 0.45 : 0.15));
    const tech = pick(r, TECHNOLOGIES);
    const t1 = pick(r, targets);
    const t2 = pick(r, targets);
    const ind = pick(r, indicators);
    const title: LangText = {};
    const summary: LangText = {};
    for (const l of langs) {
      const sep = l === 'zh' ? '：' : ': ';
      title[l] = `${tech[l]}${sep}${shorten(ind[l], l, 7)}`;
      summary[l] = `${t1.text[l]}${l === 'zh' ? '。' : '. '}${t2.text[l]}`;
    }
    const sdgs = [...new Set([t1.goal, ...(r() < 0.4 ? [t2.goal] : [])])].sort((a, b) => a - b);
    const nCountries = weighted(r, [
      [0, 20],
      [1, 60],
      [2, 12],
      [3, 8],
    ]);
    const cs = sample(r, countries, nCountries).sort();
    const status = weighted<Status>(r, [
      ['published', 94],
      ['draft', 3],
      ['submitted', 2],
      ['archived', 1],
    ]);
    const createdAt = new Date(T0 + Math.floor(r() * SPAN));
    const licenceKind = r();
    out.push({
      id: uuid(r),
      status,
      createdAt,
      publishedAt:
        status === 'published' || status === 'archived'
          ? new Date(createdAt.getTime() + Math.floor(r() * 30 * 86_400_000))
          : null,
      regions: regionsOf(cs).regions,
      input: {
        kind,
        originalLang,
        title,
        summary,
        sdgs,
        sdgTargets: [t1.code],
        countries: cs,
        sectors: sample(r, SECTORS, 1 + Math.floor(r() * 2)).sort(),
        readiness: kind === 'offer' || kind === 'need' ? 1 + Math.floor(r() * 9) : null,
        licence:
          licenceKind < 0.4 ? null : licenceKind < 0.75 ? pick(r, LICENCES_OPEN) : pick(r, LICENCES_OTHER),
        transferTerms: sample(r, TRANSFER_TERMS, 1 + Math.floor(r() * 2)).sort(),
        url: `https://example.org/records/${i}`,
        sources: [],
        contactName: null,
        contactEmail: null,
        contactConsent: false,
      },
    });
  }
  return out;
}

const INSERT = `INSERT INTO records (id, kind, status, original_lang, title, summary, sdgs, sdg_targets, countries,
  regions, sectors, readiness, licence, transfer_terms, url, contact_consent, sources, created_at, updated_at,
  published_at)
SELECT id, kind, status, original_lang, title, summary, sdgs, sdg_targets, countries, regions, sectors, readiness,
  licence, transfer_terms, url, false, '{}', created_at, created_at, published_at
FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, kind text, status text, original_lang text, title jsonb,
  summary jsonb, sdgs integer[], sdg_targets text[], countries text[], regions text[], sectors text[],
  readiness integer, licence text, transfer_terms text[], url text, created_at timestamptz,
  published_at timestamptz)`;

/**
 * Inserts generated records in batches (one parameter per batch: a JSON array), in one transaction.
 * With `rebuildIndexes` (default), the records table's secondary indexes are dropped first and
 * recreated afterwards from their own definitions (pg_get_indexdef), in the same transaction: one
 * GIN build is far faster than 100,000 incremental GIN inserts, and the schema ends as migrated.
 */
export async function loadRecords(
  db: RegistryDb,
  records: readonly GeneratedRecord[],
  opts: { batchSize?: number; rebuildIndexes?: boolean; onBatch?: (done: number) => void } = {},
): Promise<void> {
  const size = opts.batchSize ?? 1000;
  await db.transaction(async (tx: Queryable) => {
    const indexes =
      opts.rebuildIndexes === false
        ? []
        : await tx.query<{ name: string; def: string }>(
            `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
             FROM pg_index i WHERE i.indrelid = 'records'::regclass AND NOT i.indisprimary AND NOT i.indisunique`,
          );
    for (const ix of indexes) await tx.query(`DROP INDEX ${ix.name}`);
    for (let i = 0; i < records.length; i += size) {
      const batch = records.slice(i, i + size).map((g) => ({
        id: g.id,
        kind: g.input.kind,
        status: g.status,
        original_lang: g.input.originalLang,
        title: g.input.title,
        summary: g.input.summary,
        sdgs: g.input.sdgs,
        sdg_targets: g.input.sdgTargets,
        countries: g.input.countries,
        regions: g.regions,
        sectors: g.input.sectors,
        readiness: g.input.readiness,
        licence: g.input.licence,
        transfer_terms: g.input.transferTerms,
        url: g.input.url,
        created_at: g.createdAt.toISOString(),
        published_at: g.publishedAt?.toISOString() ?? null,
      }));
      await tx.query(INSERT, [JSON.stringify(batch)]);
      opts.onBatch?.(Math.min(i + size, records.length));
    }
    await tx.query("SET LOCAL maintenance_work_mem = '256MB'");
    for (const ix of indexes) await tx.query(ix.def);
  });
  await db.exec('VACUUM ANALYZE records');
}
