export * from './checks.ts';
export * from './form-schema.ts';
export * from './item-schema.ts';
export * from './load-data.ts';
export * from './vocab.ts';
