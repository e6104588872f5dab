/**
 * The thin file-loading layer (the only part of the indexer that does I/O): reads a spec file
 * (JSON or YAML) and COINr-style iData / iMeta CSV files, and hands plain values to the engine.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { invalid } from '../core/errors.ts';
import { dataFromCoinr, metaFromCoinr, type Row } from './coinr.ts';
import type { IndexData } from './data.ts';
import { type IndexSpec, parseSpec, validateSpec } from './spec.ts';

export function readCsv(file: string): Row[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw invalid(`cannot read: ${(e as Error).message}`, { file });
  }
  try {
    return parseCsv(text, { columns: true, skip_empty_lines: true, bom: true }) as Row[];
  } catch (e) {
    throw invalid(`not a valid CSV file: ${(e as Error).message}`, { file });
  }
}

export interface Loaded {
  spec: IndexSpec;
  data: IndexData;
}

export interface LoadOptions {
  /** iData CSV (overrides spec.inputs.data). */
  data?: string;
  /** iMeta CSV (overrides spec.inputs.meta); its tree replaces the spec's if the spec has none. */
  meta?: string;
  year?: number;
}

export function loadSpecFile(file: string): IndexSpec {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw invalid(`cannot read: ${(e as Error).message}`, { file });
  }
  return parseSpec(text, file);
}

/** A spec file plus the COINr-style tables it names (or that are given). */
export function loadIndex(specFile: string, opts: LoadOptions = {}): Loaded {
  let spec = loadSpecFile(specFile);
  const base = dirname(resolve(specFile));
  const metaFile = opts.meta ?? (spec.inputs?.meta ? resolve(base, spec.inputs.meta) : undefined);
  const dataFile = opts.data ?? (spec.inputs?.data ? resolve(base, spec.inputs.data) : undefined);
  if (metaFile) {
    const meta = metaFromCoinr(readCsv(metaFile), metaFile);
    spec = validateSpec(
      {
        ...spec,
        tree: spec.tree.length ? spec.tree : meta.tree,
        groups: spec.groups.length ? spec.groups : meta.groups,
        denominators: spec.denominators.length ? spec.denominators : meta.denominators,
      },
      specFile,
    );
  }
  if (!dataFile)
    throw invalid('no data table: give --data or spec.inputs.data', { file: specFile, field: 'inputs.data' });
  if (!spec.tree.length)
    throw invalid('no indicator tree: give --meta, spec.inputs.meta or spec.tree', {
      file: specFile,
      field: 'tree',
    });
  const leaves = new Set(spec.tree.map((n) => n.code));
  for (const n of spec.tree) if (n.parent) leaves.delete(n.parent);
  const data = dataFromCoinr(readCsv(dataFile), {
    id: spec.units.id,
    ...(spec.units.name ? { name: spec.units.name } : {}),
    columns: [...leaves, ...spec.denominators],
    groups: spec.groups,
    ...(opts.year !== undefined ? { year: opts.year } : {}),
    file: dataFile,
  });
  return { spec, data };
}
