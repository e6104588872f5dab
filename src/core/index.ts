export * from './dataset.ts';
export * from './dimensions.ts';
export * from './errors.ts';
export * from './geo.ts';
export * from './indicator.ts';
export * from './observation.ts';
export * from './period.ts';
