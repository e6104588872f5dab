/**
 * ITU gender parity score: female rate ÷ male rate. Parity is deemed achieved when the score is
 * between 0.98 and 1.02 (ITU, Facts and Figures 2022, 2023 and 2024: "The gender digital
 * divide"). Below 0.98 the divide favours men, above 1.02 women. The same construction gives an
 * urban/rural parity score (rural ÷ urban) in area-gap.ts.
 */
import { invalid } from '../core/errors.ts';
import { requireFinite } from './guards.ts';

export const PARITY_BAND: readonly [number, number] = [0.98, 1.02];
export const PARITY_SOURCE = 'ITU, Facts and Figures 2023: The gender digital divide (parity band 0.98–1.02)';

export function parityScore(disadvantaged: number, reference: number, field = 'reference'): number {
  requireFinite(disadvantaged, 'value');
  requireFinite(reference, field);
  if (reference <= 0) throw invalid(`must be greater than 0 for a parity score, got ${reference}`, { field });
  return disadvantaged / reference;
}

/** female ÷ male */
export function genderParityScore(female: number, male: number): number {
  return parityScore(female, male, 'male');
}

export type ParityStatus = 'parity' | 'favours-reference' | 'favours-other';

/**
 * Where a score stands against the band: 'parity' inside [0.98, 1.02] (inclusive),
 * 'favours-reference' below it (for gender: favours men), 'favours-other' above it.
 */
export function parityStatus(score: number, band: readonly [number, number] = PARITY_BAND): ParityStatus {
  requireFinite(score, 'score');
  if (!(band[0] <= band[1])) throw invalid(`band [${band[0]}, ${band[1]}] is not ordered`, { field: 'band' });
  if (score < band[0]) return 'favours-reference';
  if (score > band[1]) return 'favours-other';
  return 'parity';
}
