/**
 * Submitting and editing a record. One form for both: kind, language, title and summary (in the
 * chosen language; texts in other languages are kept on edit), SDGs (checkboxes with the goals'
 * names), targets, countries (ISO codes), sectors, readiness, licence, transfer terms, address,
 * sources and contact with consent. Validated on the server by the library's schema; each error is
 * shown beside its field (aria-describedby) and in a summary at the top linking to the fields.
 *
 * "Suggest SDGs" re-renders the form with the tagger's goals (sdg-tagger.ts) ticked and the words
 * each rests on shown beside them; nothing is saved until the author confirms with "Save".
 */
import type { FastifyReply } from 'fastify';
import { PontisError } from '../../core/errors.ts';
import { regionsOf } from '../../registry/geo.ts';
import {
  LANGS,
  type Lang,
  RECORD_KINDS,
  type RecordInput,
  type RecordKind,
  SECTORS,
  TRANSFER_TERMS,
} from '../../registry/model.ts';
import { limitWrite } from '../../registry/rate-limit.ts';
import {
  createRecord,
  getRecord,
  type StoredRecord,
  transitionRecord,
  updateRecord,
  validateRecordInput,
} from '../../registry/records.ts';
import { authorize } from '../../registry/roles.ts';
import { type SdgSuggestion, suggestSdgs } from '../../registry/sdg-tagger.ts';
import { type Html, html } from '../html.ts';
import { LANG_NAMES } from '../i18n.ts';
import { redirect } from './auth.ts';
import type { Body, Ctx } from './context.ts';
import { requireActor } from './record.ts';
import { checkboxes, type Errors, errorSummary, field, notice, select, str, strs } from './ui.ts';
import { goalShort, term } from './vocab.ts';

/** The form's values as text (what is sent back to the author on a re-render). */
export interface RecordFormValues {
  kind: string;
  originalLang: string;
  title: string;
  summary: string;
  sdgs: string[];
  sdgTargets: string;
  countries: string;
  sectors: string[];
  readiness: string;
  licence: string;
  transferTerms: string[];
  url: string;
  sources: string;
  contactName: string;
  contactEmail: string;
  contactConsent: boolean;
  /**
   * Title and summary in the other languages, by language: only those the form sent (a language
   * the form did not carry keeps its stored text; one sent empty is removed).
   */
  texts: Partial<Record<Lang, { title: string; summary: string }>>;
}

const FIELDS = [
  'kind',
  'originalLang',
  'title',
  'summary',
  'sdgs',
  'sdgTargets',
  'countries',
  'sectors',
  'readiness',
  'licence',
  'transferTerms',
  'url',
  'sources',
  'contactName',
  'contactEmail',
  'contactConsent',
] as const;
type FieldName = (typeof FIELDS)[number];

export function valuesFromBody(b: Body, lang: Lang): RecordFormValues {
  return {
    kind: str(b, 'kind') || 'offer',
    originalLang: str(b, 'originalLang') || lang,
    title: str(b, 'title'),
    summary: str(b, 'summary'),
    sdgs: strs(b, 'sdgs'),
    sdgTargets: str(b, 'sdgTargets'),
    countries: str(b, 'countries'),
    sectors: strs(b, 'sectors'),
    readiness: str(b, 'readiness'),
    licence: str(b, 'licence'),
    transferTerms: strs(b, 'transferTerms'),
    url: str(b, 'url'),
    sources: str(b, 'sources'),
    contactName: str(b, 'contactName'),
    contactEmail: str(b, 'contactEmail'),
    contactConsent: str(b, 'contactConsent') === 'yes',
    texts: Object.fromEntries(
      LANGS.filter((l) => `title_${l}` in b || `summary_${l}` in b).map((l) => [
        l,
        { title: str(b, `title_${l}`), summary: str(b, `summary_${l}`) },
      ]),
    ),
  };
}

export function valuesFromRecord(r: StoredRecord): RecordFormValues {
  return {
    kind: r.kind,
    originalLang: r.originalLang,
    title: r.title[r.originalLang] ?? '',
    summary: r.summary[r.originalLang] ?? '',
    sdgs: r.sdgs.map(String),
    sdgTargets: r.sdgTargets.join(', '),
    countries: r.countries.join(', '),
    sectors: [...r.sectors],
    readiness: r.readiness === null ? '' : String(r.readiness),
    licence: r.licence ?? '',
    transferTerms: [...r.transferTerms],
    url: r.url ?? '',
    sources: r.sources.join('\n'),
    contactName: r.contactName ?? '',
    contactEmail: r.contactEmail ?? '',
    contactConsent: r.contactConsent,
    texts: Object.fromEntries(
      LANGS.filter((l) => l !== r.originalLang).map((l) => [
        l,
        { title: r.title[l] ?? '', summary: r.summary[l] ?? '' },
      ]),
    ),
  };
}

const items = (s: string): string[] =>
  s
    .split(/[\s,;]+/)
    .map((x) => x.trim())
    .filter(Boolean);

/**
 * The library's input from the form (texts in other languages kept from `existing`), and the
 * errors found, by field, in the page language.
 */
export function inputFrom(
  c: Ctx,
  v: RecordFormValues,
  existing?: StoredRecord,
): { input: RecordInput; errors: Errors } {
  const errors: Errors = new Map();
  const lang = (LANGS as readonly string[]).includes(v.originalLang) ? (v.originalLang as Lang) : null;
  if (!lang) errors.set('originalLang', c.t('reg.err.originalLang'));
  if (v.title.trim() === '') errors.set('title', c.t('reg.err.title'));
  if (v.summary.trim() === '') errors.set('summary', c.t('reg.err.summary'));
  const sdgs = v.sdgs.map((s) => (/^\d{1,2}$/.test(s) ? Number(s) : Number.NaN));
  if (sdgs.some((g) => !(g >= 1 && g <= 17))) errors.set('sdgs', c.t('reg.err.sdgs'));
  const readiness =
    v.readiness.trim() === '' ? null : /^[1-9]$/.test(v.readiness.trim()) ? Number(v.readiness) : Number.NaN;
  if (Number.isNaN(readiness)) errors.set('readiness', c.t('reg.err.readiness'));
  const l = lang ?? 'en';
  const title: RecordInput['title'] = { ...(existing?.title ?? {}) };
  const summary: RecordInput['summary'] = { ...(existing?.summary ?? {}) };
  for (const [k, t] of Object.entries(v.texts) as [Lang, { title: string; summary: string }][]) {
    if (k === l) continue; // the main fields are the original language's
    const tt = t.title.trim();
    const ts = t.summary.trim();
    if ((tt === '') !== (ts === '')) errors.set(`text_${k}`, c.t('reg.err.texts.pair'));
    else if (tt.length > 300) errors.set(`text_${k}`, c.t('reg.err.texts.long'));
    title[k] = tt || undefined;
    summary[k] = ts || undefined;
  }
  const input: RecordInput = {
    kind: v.kind as RecordKind,
    originalLang: l,
    title: { ...title, [l]: v.title.trim() || undefined },
    summary: { ...summary, [l]: v.summary.trim() || undefined },
    sdgs: [...new Set(sdgs.filter((g) => g >= 1 && g <= 17))].sort((a, b) => a - b),
    sdgTargets: items(v.sdgTargets),
    countries: items(v.countries).map((x) => x.toUpperCase()),
    sectors: v.sectors as RecordInput['sectors'],
    readiness: Number.isNaN(readiness) ? null : readiness,
    licence: v.licence.trim() || null,
    transferTerms: v.transferTerms as RecordInput['transferTerms'],
    url: v.url.trim() || null,
    sources: v.sources
      .split(/\r?\n/)
      .map((s) => s.trim())
      .filter(Boolean),
    contactName: v.contactName.trim() || null,
    contactEmail: v.contactEmail.trim() || null,
    contactConsent: v.contactConsent,
  };
  // Drop the keys left undefined (the schema is strict about values, not about absent languages).
  for (const k of ['title', 'summary'] as const)
    for (const key of Object.keys(input[k]))
      if (input[k][key as Lang] === undefined) delete input[k][key as Lang];
  // Unknown country codes are named even when another field fails the schema first.
  const unknown = regionsOf(input.countries.filter((x) => /^[A-Z]{3}$/.test(x))).unknown;
  if (unknown.length > 0) errors.set('countries', `${c.t('reg.err.countries')} (“${unknown[0]}”)`);
  try {
    validateRecordInput(input);
  } catch (e) {
    if (!(e instanceof PontisError) || e.code !== 'invalid_input') throw e;
    const issues = Array.isArray(e.details)
      ? (e.details as { field: string }[]).map((d) => d.field)
      : [e.location.field ?? ''];
    for (const path of issues) {
      const [f0, sub] = path.split('.') as [string, string | undefined];
      if (
        (f0 === 'title' || f0 === 'summary') &&
        sub &&
        sub !== l &&
        (LANGS as readonly string[]).includes(sub)
      ) {
        if (!errors.has(`text_${sub}`)) errors.set(`text_${sub}`, c.t('reg.err.texts.long'));
        continue;
      }
      const f = f0 as FieldName;
      const name: FieldName = (FIELDS as readonly string[]).includes(f) ? f : 'title';
      if (errors.has(name)) continue;
      const index = Number(path.split('.')[1]);
      const bad =
        name === 'countries' || name === 'sdgTargets' || name === 'sources'
          ? (input[name] as string[])[index]
          : undefined;
      const msg = c.t(`reg.err.${name}`);
      errors.set(name, bad !== undefined ? `${msg} (“${bad}”)` : msg);
    }
    if (errors.size === 0) errors.set('title', c.t('reg.err.title'));
  }
  return { input, errors };
}

function labels(c: Ctx): Record<FieldName, string> {
  return Object.fromEntries(FIELDS.map((f) => [f, c.t(`reg.field.${f}`)])) as Record<FieldName, string>;
}

/** A language's name in the page language ("French", « français », «الفرنسية»). */
function langName(c: Ctx, l: Lang): string {
  const locale = c.lang === 'zh' ? 'zh-Hans' : c.lang;
  return new Intl.DisplayNames([locale], { type: 'language' }).of(l) ?? LANG_NAMES[l];
}

/**
 * The title and summary in each language other than the original, one <details> per language
 * (open when it has text or an error). The summary of the error list links to the title field.
 */
function textsHtml(c: Ctx, v: RecordFormValues, errors: Errors): Html {
  const others = LANGS.filter((l) => l !== v.originalLang);
  return html`<fieldset class="texts"><legend>${c.t('reg.texts.legend')}</legend><p class="hint">${c.t('reg.texts.hint')}</p>${others.map(
    (l) => {
      const t = v.texts[l] ?? { title: '', summary: '' };
      const err = errors.get(`text_${l}`);
      const filled = t.title !== '' || t.summary !== '';
      const name = langName(c, l);
      const ids = `f-text_${l}`;
      return html`<details class="text-lang"${filled || err ? html` open` : ''}><summary><span lang="${l}">${LANG_NAMES[l]}</span>${filled ? html` <span class="meta">(${c.t('reg.texts.filled')})</span>` : ''}</summary>
${err ? html`<p class="field-error" id="e-text_${l}"><span class="sr-only">${c.t('reg.form.error')}: </span>${err}</p>` : ''}
<div class="field${err ? ' invalid' : ''}"><label for="${ids}">${c.t('reg.texts.title', { lang: name })}</label><input id="${ids}" name="title_${l}" type="text" lang="${l}" dir="auto" maxlength="300" value="${t.title}"${err ? html` aria-invalid="true" aria-describedby="e-text_${l}"` : ''}></div>
<div class="field${err ? ' invalid' : ''}"><label for="f-summary_${l}">${c.t('reg.texts.summary', { lang: name })}</label><textarea id="f-summary_${l}" name="summary_${l}" rows="4" lang="${l}" dir="auto" maxlength="20000"${err ? html` aria-invalid="true" aria-describedby="e-text_${l}"` : ''}>${t.summary}</textarea></div>
</details>`;
    },
  )}</fieldset>`;
}

function formHtml(
  c: Ctx,
  o: {
    action: string;
    v: RecordFormValues;
    errors: Errors;
    suggestions?: SdgSuggestion[];
    title: string;
    path: string;
  },
): FastifyReply {
  const { v, errors } = o;
  const L = labels(c);
  const summaryLabels: Record<string, string> = { ...L };
  for (const l of LANGS) summaryLabels[`text_${l}`] = c.t('reg.texts.title', { lang: langName(c, l) });
  const E = errors;
  const lang = c.lang;
  const sugg = new Map((o.suggestions ?? []).map((s) => [String(s.sdg), s]));
  const sdgOptions = Array.from({ length: 17 }, (_, i) => {
    const g = String(i + 1);
    const s = sugg.get(g);
    return {
      value: g,
      label: `${g}. ${goalShort(lang, i + 1)}`,
      note: s
        ? html` <span class="suggested">${c.t('reg.suggest.because', { words: s.evidence.slice(0, 6).join(', ') })}</span>`
        : undefined,
    };
  });
  const suggestedNotice = o.suggestions
    ? notice(
        o.suggestions.length > 0
          ? c.t('reg.suggest.found', { goals: o.suggestions.map((s) => s.sdg).join(', ') })
          : c.t('reg.suggest.none'),
      )
    : '';
  const body = html`<h1>${o.title}</h1>
${errorSummary(lang, E, summaryLabels)}
${suggestedNotice}
<form method="post" action="${o.action}" class="stack record-form" novalidate>${c.csrf}
${select(lang, E, { name: 'kind', label: L.kind, value: v.kind, options: RECORD_KINDS.map((k) => ({ value: k, label: term(lang, 'kind', k) })) })}
${select(lang, E, { name: 'originalLang', label: L.originalLang, value: v.originalLang, hint: c.t('reg.hint.originalLang'), options: LANGS.map((l) => ({ value: l, label: LANG_NAMES[l] })) })}
${field(lang, E, { name: 'title', label: L.title, value: v.title, required: true, maxlength: 300, dirAuto: true })}
${field(lang, E, { name: 'summary', label: L.summary, value: v.summary, rows: 6, required: true, maxlength: 20000, dirAuto: true, hint: c.t('reg.hint.summary') })}
${textsHtml(c, v, E)}
${checkboxes(lang, E, { name: 'sdgs', legend: L.sdgs, options: sdgOptions, checked: new Set(v.sdgs), hint: c.t('reg.hint.sdgs'), cls: 'cols' })}
<p><button type="submit" name="action" value="suggest" class="secondary">${c.t('reg.suggest.button')}</button></p>
${field(lang, E, { name: 'sdgTargets', label: L.sdgTargets, value: v.sdgTargets, hint: c.t('reg.hint.sdgTargets') })}
${field(lang, E, { name: 'countries', label: L.countries, value: v.countries, hint: c.t('reg.hint.countries') })}
${checkboxes(lang, E, { name: 'sectors', legend: L.sectors, options: SECTORS.map((s) => ({ value: s, label: term(lang, 'sector', s) })), checked: new Set(v.sectors), cls: 'cols' })}
${select(lang, E, { name: 'readiness', label: L.readiness, value: v.readiness, hint: c.t('reg.hint.readiness'), options: [{ value: '', label: c.t('reg.none') }].concat(Array.from({ length: 9 }, (_, i) => ({ value: String(i + 1), label: c.t('reg.readiness.level', { n: i + 1 }) }))) })}
${field(lang, E, { name: 'licence', label: L.licence, value: v.licence, hint: c.t('reg.hint.licence'), maxlength: 80 })}
${checkboxes(lang, E, { name: 'transferTerms', legend: L.transferTerms, options: TRANSFER_TERMS.map((x) => ({ value: x, label: term(lang, 'term', x) })), checked: new Set(v.transferTerms) })}
${field(lang, E, { name: 'url', label: L.url, value: v.url, type: 'url', maxlength: 2000 })}
${field(lang, E, { name: 'sources', label: L.sources, value: v.sources, rows: 3, hint: c.t('reg.hint.sources') })}
${field(lang, E, { name: 'contactName', label: L.contactName, value: v.contactName, maxlength: 200, autocomplete: 'name', dirAuto: true })}
${field(lang, E, { name: 'contactEmail', label: L.contactEmail, value: v.contactEmail, type: 'email', maxlength: 320, autocomplete: 'email' })}
${checkboxes(lang, E, { name: 'contactConsent', legend: L.contactConsent, options: [{ value: 'yes', label: c.t('reg.consent.yes') }], checked: new Set(v.contactConsent ? ['yes'] : []) })}
<p class="actions"><button type="submit" name="action" value="save">${c.t('reg.form.save')}</button> <button type="submit" name="action" value="submit">${c.t('reg.form.submit')}</button></p>
</form>`;
  const status = errors.size > 0 ? 400 : 200;
  return c.send({ title: o.title, path: o.path, body, section: 'new', status });
}

const EMPTY = (lang: Lang): RecordFormValues => ({
  kind: 'offer',
  originalLang: lang,
  title: '',
  summary: '',
  sdgs: [],
  sdgTargets: '',
  countries: '',
  sectors: [],
  readiness: '',
  licence: '',
  transferTerms: [],
  url: '',
  sources: '',
  contactName: '',
  contactEmail: '',
  contactConsent: false,
  texts: {},
});

export async function newForm(c: Ctx): Promise<FastifyReply> {
  authorize(c.actor, 'record.create');
  return formHtml(c, {
    action: c.href('/new'),
    v: EMPTY(c.lang),
    errors: new Map(),
    title: c.t('reg.new.title'),
    path: '/registry/new',
  });
}

/** The tagger's goals for the form's title and summary, ticked in addition to the author's. */
function withSuggestions(v: RecordFormValues): { v: RecordFormValues; suggestions: SdgSuggestion[] } {
  const text = `${v.title}\n${v.summary}`.trim();
  const lang = (LANGS as readonly string[]).includes(v.originalLang) ? (v.originalLang as Lang) : undefined;
  const suggestions = text ? suggestSdgs(text, lang ? { lang } : {}) : [];
  const ticked = new Set([...v.sdgs, ...suggestions.map((s) => String(s.sdg))]);
  return { v: { ...v, sdgs: [...ticked].sort((a, b) => Number(a) - Number(b)) }, suggestions };
}

async function handle(
  c: Ctx,
  b: Body,
  o: { existing?: StoredRecord; action: string; title: string; path: string },
): Promise<FastifyReply> {
  const v = valuesFromBody(b, c.lang);
  const act = str(b, 'action') || 'save';
  if (act === 'suggest') {
    const s = withSuggestions(v);
    return formHtml(c, { ...o, v: s.v, errors: new Map(), suggestions: s.suggestions });
  }
  const { input, errors } = inputFrom(c, v, o.existing);
  if (errors.size > 0) return formHtml(c, { ...o, v, errors });
  const a = requireActor(c);
  limitWrite(a, c.o.limits);
  const rec = o.existing
    ? await updateRecord(c.db, a, o.existing.id, input)
    : await createRecord(c.db, a, input);
  if (act === 'submit' && (rec.status === 'draft' || rec.status === 'rejected'))
    await transitionRecord(c.db, a, rec.id, 'submitted');
  return redirect(c, c.href(`/record/${rec.id}`));
}

export async function newSubmit(c: Ctx, b: Body): Promise<FastifyReply> {
  authorize(c.actor, 'record.create');
  return handle(c, b, { action: c.href('/new'), title: c.t('reg.new.title'), path: '/registry/new' });
}

async function editable(c: Ctx, id: string): Promise<StoredRecord> {
  requireActor(c);
  const r = await getRecord(c.db, c.actor, id);
  authorize(c.actor, 'record.edit', {
    organisationId: r.organisationId,
    createdBy: r.createdBy,
    status: r.status,
  });
  return r;
}

export async function editForm(c: Ctx, id: string): Promise<FastifyReply> {
  const r = await editable(c, id);
  return formHtml(c, {
    action: c.href(`/record/${r.id}/edit`),
    v: valuesFromRecord(r),
    errors: new Map(),
    title: c.t('reg.edit.title'),
    path: `/registry/record/${r.id}/edit`,
  });
}

export async function editSubmit(c: Ctx, id: string, b: Body): Promise<FastifyReply> {
  requireActor(c);
  // The library checks the role again inside its transaction; this gives the 404/403 first.
  const r = await editable(c, id);
  return handle(c, b, {
    existing: r,
    action: c.href(`/record/${r.id}/edit`),
    title: c.t('reg.edit.title'),
    path: `/registry/record/${r.id}/edit`,
  });
}
