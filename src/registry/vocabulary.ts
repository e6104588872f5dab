/**
 * The registry's vocabularies (record kinds, statuses, stakeholder types, roles, transfer terms,
 * sectors) and the helpers on them: plain constants without the zod schemas of model.ts, which
 * re-exports them, so that code needing only the words (the CLI's option lists) loads no validator.
 */
import { LANGS, type Lang } from '../core/indicator.ts';

export { LANGS, type Lang };

/** What a record is. `initiative` covers STI initiatives, programmes and mechanisms. */
export const RECORD_KINDS = ['offer', 'need', 'initiative', 'practice', 'publication'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/**
 * The moderation workflow: an author's draft is submitted, a moderator publishes it or rejects it
 * with a reason (the author may edit a rejected record and submit it again), and a published record
 * can be archived. Every other move is refused.
 */
export const STATUSES = ['draft', 'submitted', 'published', 'rejected', 'archived'] as const;
export type Status = (typeof STATUSES)[number];

export const TRANSITIONS: Readonly<Record<Status, readonly Status[]>> = {
  draft: ['submitted', 'archived'],
  submitted: ['published', 'rejected', 'draft'],
  rejected: ['submitted', 'draft', 'archived'],
  published: ['archived'],
  archived: [],
};

/** Stakeholders named by A/RES/78/160 (governments, private sector, civil society, academia, UN). */
export const STAKEHOLDER_TYPES = [
  'government',
  'private_sector',
  'civil_society',
  'academia',
  'un_entity',
  'intergovernmental',
] as const;
export type StakeholderType = (typeof STAKEHOLDER_TYPES)[number];

/** Roles, each including what the ones before it may do (see roles.ts for the checks). */
export const ROLES = ['viewer', 'contributor', 'org_admin', 'moderator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * How a technology can change hands. An offer lists the terms it is available on; a need lists the
 * terms it can accept. `open_source` = an OSI-approved licence; `mutually_agreed_terms` = transfer
 * negotiated between the parties (the resolutions' phrase); `licence_fee` = commercial licensing;
 * `donation` = free of charge but not open source; `service` = provided as a service, not transferred.
 */
export const TRANSFER_TERMS = [
  'open_source',
  'donation',
  'mutually_agreed_terms',
  'licence_fee',
  'service',
] as const;
export type TransferTerm = (typeof TRANSFER_TERMS)[number];

/** Sectors (a short list close to the ISIC sections that technology records name most). */
export const SECTORS = [
  'agriculture',
  'education',
  'energy',
  'environment',
  'finance',
  'governance',
  'health',
  'ict',
  'manufacturing',
  'mining',
  'trade',
  'transport',
  'urban',
  'water',
  'science',
] as const;
export type Sector = (typeof SECTORS)[number];

/** Titles and summaries: text per language (model.ts validates them). */
export type LangText = Partial<Record<Lang, string>>;

/** A record's SDG goals: its goals and the goals of its targets ('9.c' → 9), sorted and unique. */
export function goalsOf(r: { sdgs: readonly number[]; sdgTargets: readonly string[] }): number[] {
  const all = [...r.sdgs, ...r.sdgTargets.map((t) => Number(t.split('.')[0]))];
  return [...new Set(all)].sort((a, b) => a - b);
}

/** The text of a record in a language, or in its original language when untranslated. */
export function textIn(text: LangText, lang: Lang, fallback: Lang): string {
  return text[lang] ?? text[fallback] ?? LANGS.map((l) => text[l]).find((s) => s !== undefined) ?? '';
}
