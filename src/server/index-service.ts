/**
 * Composite indices served by the API: the recipes under recipes/<id>/<id>.yaml (or the single YAML
 * file of the folder) that name their own data tables. Each is built once on first use (the
 * pipeline takes about a millisecond) and its uncertainty analysis (rank intervals) is run once
 * with a bounded number of Monte Carlo runs, without the sensitivity analysis, in the background
 * from `warm()` or on the first request for it. Results are kept for the life of the server.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { notFound, PontisError } from '../core/errors.ts';
import { fromRoot } from '../core/paths.ts';
import { type AnalysisResult, analyse } from '../indexer/analysis.ts';
import type { IndexData } from '../indexer/data.ts';
import { loadIndex } from '../indexer/load.ts';
import { type PipelineResult, runPipeline } from '../indexer/pipeline.ts';
import type { IndexSpec } from '../indexer/spec.ts';

export const RECIPES_DIR = fromRoot('recipes');

export interface Built {
  id: string;
  spec: IndexSpec;
  data: IndexData;
  result: PipelineResult;
}

export interface IndexEntry {
  id: string;
  file: string;
  name: string | null;
  available: boolean;
  /** Why the index cannot be built (e.g. a recipe that reads the store rather than data files). */
  reason: string | null;
}

export interface IndexServiceOptions {
  dir?: string;
  /** Monte Carlo runs of the served audit (at most; the spec's own number if smaller). */
  auditRuns: number;
}

function recipeFiles(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(dir)) return out;
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    if (!d.isDirectory()) continue;
    const files = readdirSync(join(dir, d.name)).filter((f) => /\.ya?ml$/.test(f));
    if (files.length) out.set(d.name, join(dir, d.name, files[0] as string));
  }
  return out;
}

export class IndexService {
  private readonly files: Map<string, string>;
  private readonly built = new Map<string, Built | PontisError>();
  private readonly audits = new Map<string, Promise<AnalysisResult>>();

  constructor(private readonly o: IndexServiceOptions) {
    this.files = recipeFiles(o.dir ?? RECIPES_DIR);
  }

  list(): IndexEntry[] {
    return [...this.files].map(([id, file]) => {
      const b = this.tryBuild(id);
      return {
        id,
        file: file.slice(file.lastIndexOf('recipes/')),
        name: b instanceof PontisError ? null : b.spec.name,
        available: !(b instanceof PontisError),
        reason: b instanceof PontisError ? b.message : null,
      };
    });
  }

  private tryBuild(id: string): Built | PontisError {
    const hit = this.built.get(id);
    if (hit) return hit;
    const file = this.files.get(id);
    if (!file)
      throw notFound(`unknown index ${id} (known: ${[...this.files.keys()].join(', ')})`, { field: 'id' });
    let out: Built | PontisError;
    try {
      const { spec, data } = loadIndex(file);
      out = { id, spec, data, result: runPipeline(data, spec) };
    } catch (e) {
      if (!(e instanceof PontisError)) throw e;
      out = e;
    }
    this.built.set(id, out);
    return out;
  }

  /** The built index; unknown ids are not_found, recipes that cannot be built are a conflict. */
  get(id: string): Built {
    const b = this.tryBuild(id);
    if (b instanceof PontisError)
      throw new PontisError('conflict', `index ${id} cannot be built: ${b.message}`, { field: 'id' });
    return b;
  }

  /** Rank intervals from the uncertainty analysis (computed once, shared by concurrent callers). */
  audit(id: string): Promise<AnalysisResult> {
    const b = this.get(id);
    let p = this.audits.get(id);
    if (!p) {
      const specRuns = b.spec.uncertainty?.runs ?? this.o.auditRuns;
      p = analyse(b.data, b.spec, {
        runs: Math.min(specRuns, this.o.auditRuns),
        noSensitivity: true,
        threads: 1,
      });
      this.audits.set(id, p);
      p.catch(() => this.audits.delete(id));
    }
    return p;
  }

  /** Builds every index and starts their audits (call after the server listens). */
  warm(): Promise<void> {
    const jobs = this.list()
      .filter((e) => e.available)
      .map((e) => this.audit(e.id).then(() => undefined));
    return Promise.all(jobs).then(() => undefined);
  }
}
