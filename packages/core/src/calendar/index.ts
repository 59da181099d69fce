export * from './clock.ts';
export * from './dates.ts';
export * from './package-data.ts';
export * from './schemas.ts';
export * from './working-days.ts';
