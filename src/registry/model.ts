/**
 * The technology-facilitation registry's domain: records (technology offers and needs, initiatives
 * and programmes, good practices, open-access publications), organisations, users and their roles,
 * and the vocabularies records are tagged with. One zod schema per edge type; the database, the
 * HTTP routes, the importer and the matchmaker all use these.
 *
 * What it answers: A/RES/78/160 paras 5–6 (Governments with the private sector, civil society,
 * academia and UN entities; knowledge-sharing on mutually agreed terms), 32 and 35 (the Technology
 * Facilitation Mechanism and its components), 37 (the Technology Bank for the LDCs); A/RES/75/202
 * paras 6–7 and 11 (cooperation among stakeholders; the Technology Bank; eTrade for All).
 */
import { z } from 'zod';
import { LANGS } from '../core/indicator.ts';
import {
  type Lang,
  RECORD_KINDS,
  type Role,
  SECTORS,
  STAKEHOLDER_TYPES,
  type Status,
  TRANSFER_TERMS,
} from './vocabulary.ts';

export * from './vocabulary.ts';

/** Titles and summaries: text per language, at least one language present. */
export const LangTextSchema = z
  .object(Object.fromEntries(LANGS.map((l) => [l, z.string().trim().min(1).max(20_000).optional()])))
  .strict()
  .refine((o) => LANGS.some((l) => typeof o[l] === 'string'), {
    message: 'needs text in at least one language',
  });

/** SDG target codes as the UN writes them: '9.c', '17.6', '4.4'. */
export const SDG_TARGET = /^(1[0-7]|[1-9])\.([1-9][0-9]?|[a-e])$/;

/** SPDX licence identifiers (or LicenseRef-… for others), e.g. 'MIT', 'Apache-2.0', 'CC-BY-4.0'. */
export const SPDX_ID = /^(LicenseRef-[A-Za-z0-9.-]+|[A-Za-z0-9][A-Za-z0-9.+-]*)$/;

/** Licences the matchmaker counts as open (OSI or open-content), by SPDX id. */
export const OPEN_LICENCES = new Set([
  'MIT',
  'Apache-2.0',
  'BSD-2-Clause',
  'BSD-3-Clause',
  'GPL-2.0-only',
  'GPL-2.0-or-later',
  'GPL-3.0-only',
  'GPL-3.0-or-later',
  'LGPL-2.1-only',
  'LGPL-2.1-or-later',
  'LGPL-3.0-only',
  'LGPL-3.0-or-later',
  'AGPL-3.0-only',
  'AGPL-3.0-or-later',
  'MPL-2.0',
  'EPL-2.0',
  'ISC',
  'CC0-1.0',
  'CC-BY-4.0',
  'CC-BY-SA-4.0',
  'CC-BY-3.0-IGO',
  'ODbL-1.0',
  'CERN-OHL-S-2.0',
  'CERN-OHL-P-2.0',
]);

const ISO3 = z.string().regex(/^[A-Z]{3}$/, 'an ISO 3166-1 alpha-3 code in capitals');

/** A record as authors submit it (the importer's rows and the form's fields become this). */
export const RecordInputSchema = z
  .object({
    kind: z.enum(RECORD_KINDS),
    title: LangTextSchema,
    summary: LangTextSchema,
    /** The language the author wrote in (the others are translations). */
    originalLang: z.enum(LANGS),
    /** SDG goals (1–17) the record addresses, confirmed by the author (the tagger suggests them). */
    sdgs: z.array(z.number().int().min(1).max(17)).max(17).default([]),
    /** SDG targets, when the author is more specific than the goal. */
    sdgTargets: z.array(z.string().regex(SDG_TARGET, "an SDG target such as '9.c'")).max(60).default([]),
    /** Countries the record is about or available in (empty = global). */
    countries: z.array(ISO3).max(260).default([]),
    sectors: z.array(z.enum(SECTORS)).max(15).default([]),
    /** Technology readiness level 1–9 (offers and needs; null for others). */
    readiness: z.number().int().min(1).max(9).nullable().default(null),
    /** SPDX identifier of the licence, or null when none applies. */
    licence: z.string().regex(SPDX_ID, 'an SPDX licence identifier').max(80).nullable().default(null),
    transferTerms: z.array(z.enum(TRANSFER_TERMS)).max(TRANSFER_TERMS.length).default([]),
    /** Public web page of the record (seed records: their public source). */
    url: z.string().url().max(2000).nullable().default(null),
    /** Public pages the description rests on (seed content cites its sources). */
    sources: z.array(z.string().url().max(2000)).max(20).default([]),
    contactName: z.string().trim().max(200).nullable().default(null),
    contactEmail: z.string().email().max(320).nullable().default(null),
    /** Contact details are shown only when the author consents. */
    contactConsent: z.boolean().default(false),
  })
  .strict();
export type RecordInput = z.infer<typeof RecordInputSchema>;

/** A stored record. */
export interface RegistryRecord extends RecordInput {
  id: string;
  status: Status;
  organisationId: string | null;
  createdBy: string | null;
  /** Reason given by the moderator on rejection. */
  moderationNote: string | null;
  createdAt: Date;
  updatedAt: Date;
  publishedAt: Date | null;
}

export const OrganisationInputSchema = z
  .object({
    name: z.string().trim().min(2).max(300),
    stakeholderType: z.enum(STAKEHOLDER_TYPES),
    country: ISO3.nullable().default(null),
    url: z.string().url().max(2000).nullable().default(null),
  })
  .strict();
export type OrganisationInput = z.infer<typeof OrganisationInputSchema>;

export interface Organisation extends OrganisationInput {
  id: string;
  createdAt: Date;
}

export interface User {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  organisationId: string | null;
  /** Preferred UI language. */
  lang: Lang;
  createdAt: Date;
}
