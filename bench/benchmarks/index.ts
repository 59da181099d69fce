import type { Benchmark } from '../lib/types.ts';
import { regionsImport } from './regions-import.ts';
import { regionsLookup } from './regions-lookup.ts';
import { startup } from './startup.ts';

/**
 * Every benchmark, in the order they run and appear in docs/benchmarks.md. regions-import
 * comes before regions-lookup so the lookup reuses the country it loaded.
 */
export const BENCHMARKS: Benchmark[] = [startup, regionsImport, regionsLookup];
