import { COUNTRY_NAME_TABLE } from './country-name-table.ts';

/**
 * Country names → ISO3, for sources that identify countries by name only (the ITU Excel workbooks).
 * Names are compared without case, accents or punctuation ("Côte d’Ivoire" = "Cote d'Ivoire").
 * Unknown names are returned unchanged so that the store rejects them, with their line, as unknown
 * geography codes.
 */

/** Short names ITU uses in its workbooks that differ from the UN M49 names. */
const ITU_NAMES: readonly (readonly [string, string])[] = [
  ['Central African Rep.', 'CAF'],
  ['Congo (Rep. of the)', 'COG'],
  ['Czech Republic', 'CZE'],
  ["Dem. People's Rep. of Korea", 'PRK'],
  ['Dem. Rep. of the Congo', 'COD'],
  ['Dominican Rep.', 'DOM'],
  ['Hong Kong, China', 'HKG'],
  ['Korea (Rep. of)', 'KOR'],
  ['Lao P.D.R.', 'LAO'],
  ['Macao, China', 'MAC'],
  ['Nepal (Republic of)', 'NPL'],
  ['Turkey', 'TUR'],
  ['United Kingdom', 'GBR'],
  ['United States', 'USA'],
  ['Vatican', 'VAT'],
];

let index: Map<string, string> | undefined;

export function normaliseName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** ISO3 for a country name, or the name itself (trimmed) when it is not known. */
export function countryCode(name: string): string {
  if (!index) {
    index = new Map();
    for (const [n, iso3] of [...COUNTRY_NAME_TABLE, ...ITU_NAMES]) index.set(normaliseName(n), iso3);
  }
  return index.get(normaliseName(name)) ?? name.trim();
}
