import type { Benchmark } from '../lib/types.ts';
import { catalogSearch } from './catalog-search.ts';
import { dispatch } from './dispatch.ts';
import { lifecycle } from './lifecycle.ts';
import { regionsImport } from './regions-import.ts';
import { regionsLookup } from './regions-lookup.ts';
import { startup } from './startup.ts';
import { worklistScale } from './worklist-scale.ts';
import { workload } from './workload.ts';

/**
 * Every benchmark, in the order they run and appear in docs/benchmarks.md. regions-import
 * comes before regions-lookup so the lookup reuses the country it loaded. The case
 * benchmarks follow the reads: catalog-search, then lifecycle (cases through HTTP), workload
 * (the city's mixed traffic from the generator in bench/workload), dispatch (the outbox to a
 * department), then
 * worklist-scale (millions of cases bulk-loaded), the longest, last.
 */
export const BENCHMARKS: Benchmark[] = [
  startup,
  regionsImport,
  regionsLookup,
  catalogSearch,
  lifecycle,
  workload,
  dispatch,
  worklistScale,
];
