/** Divide statistics from the store: store queries (SQL pushed down to DuckDB) + the pure stats. */
export * from './affordability.ts';
export * from './aggregate.ts';
export * from './convergence.ts';
export * from './gap.ts';
export * from './group-gap.ts';
export * from './inequality.ts';
export * from './presets.ts';
export * from './progress.ts';
export * from './series.ts';
export * from './target.ts';
export * from './units.ts';
