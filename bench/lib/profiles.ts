import type { Profile } from './types.ts';

/**
 * `quick` is the default and what docs/benchmarks.md shows. On a small machine the reads
 * take minutes, lifecycle about a quarter of an hour, and worklist-scale most of the run:
 * it loads up to 10 M cases when its budget and the disk allow (it says when they do not).
 * Add a longer profile here when a figure needs more samples than quick can afford;
 * benchmarks read their counts from the profile only.
 */
export const PROFILES: Record<string, Profile> = {
  quick: {
    name: 'quick',
    startupRestarts: 5,
    lookupRequests: 20_000,
    embeddedLookupRequests: 5_000,
    warmupRequests: 2_000,
    concurrency: 8,
    searchRequests: 20_000,
    embeddedSearchRequests: 5_000,
    lifecycleWorkers: 8,
    lifecycleCases: 1_500,
    embeddedLifecycleCases: 400,
    lifecycleArrivalsPerSecond: 1,
    lifecycleOpenSeconds: 120,
    ceilingRequests: 10_000,
    scaleSizes: [100_000, 1_000_000, 10_000_000],
    scaleRequests: 1_000,
    client: 'http',
  },
};
