export * from './bilingual.ts';
export * from './id-number.ts';
export * from './phone.ts';
export * from './region-code.ts';
export * from './roles.ts';
export * from './schemas/common.ts';
export * from './schemas/regions.ts';
export * from './schemas/service-points.ts';
