export * from './bilingual.ts';
export * from './region-code.ts';
export * from './schemas/common.ts';
export * from './schemas/regions.ts';
