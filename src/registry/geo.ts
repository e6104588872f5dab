/**
 * Countries and their UN M49 regions for the registry (facets and the matchmaker's region fit),
 * read once from the bundled data/geos.csv (the same file the observatory loads). Region codes are
 * the observatory's group codes: M49_002 (Africa), M49_202 (Sub-Saharan Africa), M49_014 (Eastern
 * Africa), …
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { fromRoot } from '../core/paths.ts';
import type { Lang } from './model.ts';

export interface RegistryGeo {
  iso3: string;
  names: Record<Lang, string>;
  /** Region, sub-region and intermediate region, as M49_xxx codes (those that exist). */
  regions: string[];
}

const GEOS_FILE = fromRoot('data/geos.csv');

let cache: Map<string, RegistryGeo> | null = null;

export function registryGeos(): Map<string, RegistryGeo> {
  if (cache) return cache;
  const rows = parse(readFileSync(GEOS_FILE), { columns: true, skip_empty_lines: true }) as Record<
    string,
    string
  >[];
  cache = new Map();
  for (const r of rows) {
    const iso3 = r.iso3 ?? '';
    if (!/^[A-Z]{3}$/.test(iso3)) continue;
    const regions = [r.region_code, r.subregion_code, r.intermediate_region_code]
      .filter((c): c is string => typeof c === 'string' && c.length > 0)
      .map((c) => `M49_${c.padStart(3, '0')}`);
    cache.set(iso3, {
      iso3,
      names: {
        ar: r.name_ar ?? iso3,
        zh: r.name_zh ?? iso3,
        en: r.name_en ?? iso3,
        fr: r.name_fr ?? iso3,
        ru: r.name_ru ?? iso3,
        es: r.name_es ?? iso3,
      },
      regions,
    });
  }
  return cache;
}

/** The M49 regions of a set of countries, sorted and unique; unknown codes are returned apart. */
export function regionsOf(countries: readonly string[]): { regions: string[]; unknown: string[] } {
  const geos = registryGeos();
  const regions = new Set<string>();
  const unknown: string[] = [];
  for (const c of countries) {
    const g = geos.get(c);
    if (!g) unknown.push(c);
    else for (const r of g.regions) regions.add(r);
  }
  return { regions: [...regions].sort(), unknown };
}
