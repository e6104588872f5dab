/** Parsing of option values shared by commands; bad values are usage errors (exit 2). */
import { InvalidArgumentError } from 'commander';
import { DIMENSIONS, type Dimension } from '../core/dimensions.ts';

export function parseYear(v: string): number {
  if (!/^\d{4}$/.test(v.trim())) throw new InvalidArgumentError(`expected a four-digit year, got "${v}"`);
  return Number(v);
}

export function parseList(v: string, prev: string[] = []): string[] {
  return [
    ...prev,
    ...v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ];
}

export function parsePositiveInt(v: string): number {
  if (!/^\d+$/.test(v.trim()) || Number(v) <= 0)
    throw new InvalidArgumentError(`expected a positive integer, got "${v}"`);
  return Number(v);
}

export type DimFilters = Partial<Record<Dimension | 'breakdown', string>>;

/** --dim sex=F (repeatable). */
export function parseDim(v: string, prev: DimFilters = {}): DimFilters {
  const m = /^([a-z]+)=(.+)$/.exec(v.trim());
  const keys = [...DIMENSIONS, 'breakdown'];
  if (!m || !keys.includes(m[1]!))
    throw new InvalidArgumentError(
      `expected DIM=CODE with DIM one of ${keys.join(', ')} (e.g. sex=F), got "${v}"`,
    );
  return { ...prev, [m[1]!]: m[2]!.trim() };
}
