import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  goalsOf,
  LANGS,
  OPEN_LICENCES,
  OrganisationInputSchema,
  RecordInputSchema,
} from '../../src/registry/model.ts';

/**
 * The registry's seed content (data/registry/seed.json, described in data/PROVENANCE.md): real public
 * initiatives, programmes, practices, open-access publications and open-source offers, each with its
 * public sources.
 */
const SEED_PATH = new URL('../../data/registry/seed.json', import.meta.url);

interface SeedOrganisation {
  key: string;
  [field: string]: unknown;
}
interface SeedRecord {
  key: string;
  organisation: string;
  sources: string[];
  [field: string]: unknown;
}
interface Seed {
  organisations: SeedOrganisation[];
  records: SeedRecord[];
}

/**
 * The SPDX licence identifiers the seed uses, with their SPDX full names
 * (https://spdx.org/licenses/). A licence outside this list must be checked and added here first.
 */
const SEED_LICENCES: Readonly<Record<string, string>> = {
  // BSD 3-Clause "New" or "Revised" License
  'BSD-3-Clause': 'BSD 3-Clause "New" or "Revised" License',
  // Apache License 2.0
  'Apache-2.0': 'Apache License 2.0',
  // Mozilla Public License 2.0
  'MPL-2.0': 'Mozilla Public License 2.0',
  // MIT License
  MIT: 'MIT License',
  // Open Data Commons Open Database License v1.0
  'ODbL-1.0': 'Open Data Commons Open Database License v1.0',
  // Creative Commons Attribution Non Commercial Share Alike 3.0 IGO
  'CC-BY-NC-SA-3.0-IGO': 'Creative Commons Attribution Non Commercial Share Alike 3.0 IGO',
};

const seed = JSON.parse(readFileSync(SEED_PATH, 'utf8')) as Seed;

function inputOf<T extends { key: string }>(item: T, drop: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (!drop.includes(k)) out[k] = v;
  return out;
}

describe('registry seed content', () => {
  it('has organisations and about 15–30 records', () => {
    expect(seed.organisations.length).toBeGreaterThan(0);
    expect(seed.records.length).toBeGreaterThanOrEqual(15);
    expect(seed.records.length).toBeLessThanOrEqual(30);
  });

  it('validates every organisation with OrganisationInputSchema', () => {
    for (const org of seed.organisations) {
      const parsed = OrganisationInputSchema.safeParse(inputOf(org, ['key']));
      expect(parsed.success, `${org.key}: ${parsed.success ? '' : parsed.error.message}`).toBe(true);
    }
  });

  it('validates every record with RecordInputSchema', () => {
    for (const rec of seed.records) {
      const parsed = RecordInputSchema.safeParse(inputOf(rec, ['key', 'organisation', 'sources']));
      expect(parsed.success, `${rec.key}: ${parsed.success ? '' : parsed.error.message}`).toBe(true);
    }
  });

  it('has unique organisation keys and unique record keys', () => {
    const orgKeys = seed.organisations.map((o) => o.key);
    expect(new Set(orgKeys).size).toBe(orgKeys.length);
    const recKeys = seed.records.map((r) => r.key);
    expect(new Set(recKeys).size).toBe(recKeys.length);
    for (const k of [...orgKeys, ...recKeys]) expect(k).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it('points every record at an existing organisation, and every organisation is used', () => {
    const orgKeys = new Set(seed.organisations.map((o) => o.key));
    for (const rec of seed.records) expect(orgKeys.has(rec.organisation), rec.key).toBe(true);
    const used = new Set(seed.records.map((r) => r.organisation));
    for (const key of orgKeys) expect(used.has(key), `organisation ${key} is unused`).toBe(true);
  });

  it('gives every record a url and at least one https source, all distinct and valid', () => {
    for (const rec of seed.records) {
      expect(typeof rec.url === 'string' && rec.url.length > 0, `${rec.key}: url`).toBe(true);
      expect(Array.isArray(rec.sources) && rec.sources.length > 0, `${rec.key}: sources`).toBe(true);
      expect(
        rec.sources.some((s) => s.startsWith('https://')),
        `${rec.key}: needs an https source`,
      ).toBe(true);
      expect(new Set(rec.sources).size, `${rec.key}: duplicate source`).toBe(rec.sources.length);
      for (const s of rec.sources) expect(() => new URL(s), `${rec.key}: ${s}`).not.toThrow();
    }
  });

  it('uses only licences from the checked SPDX list (or null)', () => {
    for (const rec of seed.records) {
      const licence = rec.licence as string | null;
      if (licence === null) continue;
      expect(Object.hasOwn(SEED_LICENCES, licence), `${rec.key}: unlisted licence ${licence}`).toBe(true);
    }
  });

  it('marks as open_source only records whose licence, if known, is an open licence', () => {
    for (const rec of seed.records) {
      const terms = rec.transferTerms as string[];
      const licence = rec.licence as string | null;
      if (terms.includes('open_source') && licence !== null) {
        expect(OPEN_LICENCES.has(licence), `${rec.key}: ${licence}`).toBe(true);
      }
    }
  });

  it('has a title in all six UN languages and an English summary, written in English', () => {
    for (const rec of seed.records) {
      const title = rec.title as Record<string, string>;
      for (const lang of LANGS) {
        expect(
          typeof title[lang] === 'string' && title[lang].trim().length > 0,
          `${rec.key}: title ${lang}`,
        ).toBe(true);
      }
      const summary = rec.summary as Record<string, string>;
      expect(summary.en?.trim().length, `${rec.key}: English summary`).toBeGreaterThan(0);
      expect(rec.originalLang).toBe('en');
    }
  });

  it('lists the goal of every SDG target among its goals', () => {
    for (const rec of seed.records) {
      const sdgs = rec.sdgs as number[];
      const targets = rec.sdgTargets as string[];
      expect(goalsOf({ sdgs, sdgTargets: targets }), rec.key).toEqual(
        [...new Set(sdgs)].sort((a, b) => a - b),
      );
    }
  });

  it('publishes no contact details', () => {
    for (const rec of seed.records) {
      expect(rec.contactName, rec.key).toBeNull();
      expect(rec.contactEmail, rec.key).toBeNull();
      expect(rec.contactConsent, rec.key).toBe(false);
    }
  });

  it('keeps readiness levels for offers and needs only', () => {
    for (const rec of seed.records) {
      if (rec.kind !== 'offer' && rec.kind !== 'need') expect(rec.readiness, rec.key).toBeNull();
    }
  });
});
