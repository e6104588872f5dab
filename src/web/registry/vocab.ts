/**
 * Names of the registry's vocabularies in the page language: SDG goals (short names for lists and
 * facets, official titles on the record page, both from data/), countries (UN names, geo.ts),
 * M49 regions (data/groups.csv, the observatory's group names), and the registry's own terms
 * (kinds, statuses, sectors, transfer terms, stakeholder types, roles) from the locale files.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { registryGeos } from '../../registry/geo.ts';
import type { LangText } from '../../registry/model.ts';
import { DATA_DIR } from '../../store/reference.ts';
import { sdgTitle } from '../catalog.ts';
import { type Html, html } from '../html.ts';
import { LANGS, type Lang, MESSAGES, type MessageKey, t } from '../i18n.ts';

type Row = Record<string, string>;
const csv = (file: string): Row[] =>
  parse(readFileSync(join(DATA_DIR, file), 'utf8'), { columns: true, skip_empty_lines: true }) as Row[];

let shortNames: Map<string, string> | null = null;
let regionNames: Map<string, Row> | null = null;

/** The goal's short name ("Affordable and clean energy") in the language. */
export function goalShort(lang: Lang, goal: number): string {
  if (!shortNames)
    shortNames = new Map(csv('sdg_goal_short_names.csv').map((r) => [`${r.code}|${r.lang}`, r.short_title!]));
  return shortNames.get(`${goal}|${lang}`) ?? String(goal);
}

/** The goal's official title in the language. */
export function goalTitle(lang: Lang, goal: number): string {
  return sdgTitle('goal', String(goal), lang) ?? goalShort(lang, goal);
}

/** "SDG 7: Affordable and clean energy" in the language. */
export function goalLabel(lang: Lang, goal: number): string {
  return t(lang, 'reg.sdg.label', { n: goal, name: goalShort(lang, goal) });
}

export function countryName(lang: Lang, iso3: string): string {
  return registryGeos().get(iso3)?.names[lang] ?? iso3;
}

export function regionName(lang: Lang, code: string): string {
  if (!regionNames) regionNames = new Map(csv('groups.csv').map((r) => [r.code!, r]));
  return regionNames.get(code)?.[`name_${lang}`] || code;
}

/** A vocabulary term's label: `reg.kind.offer`, `reg.sector.energy`, … */
export function term(lang: Lang, vocab: string, value: string): string {
  const key = `reg.${vocab}.${value}`;
  return key in MESSAGES[lang] ? t(lang, key as MessageKey) : value;
}

/** A record's text in the page language when it has one, else its original language. */
export function pickText(text: LangText, lang: Lang, original: Lang): { text: string; lang: Lang } {
  if (text[lang] !== undefined) return { text: text[lang]!, lang };
  if (text[original] !== undefined) return { text: text[original]!, lang: original };
  const l = LANGS.find((x) => text[x] !== undefined) ?? lang;
  return { text: text[l] ?? '', lang: l };
}

/** The text marked with its language when it is not the page's (WCAG 3.1.2). */
export function shown(text: LangText, lang: Lang, original: Lang): Html {
  const p = pickText(text, lang, original);
  return p.lang === lang ? html`${p.text}` : html`<span lang="${p.lang}" dir="auto">${p.text}</span>`;
}

/** Joins labels with the language's list format ("A, B and C"). */
export function list(lang: Lang, items: readonly string[]): string {
  const locale = lang === 'zh' ? 'zh-Hans' : lang;
  return new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }).format(items);
}
