import type { Profile } from './types.ts';

/**
 * `quick` is the default and what docs/benchmarks.md shows: a few minutes on a small
 * machine, dominated by the country import. Add a longer profile here when a figure needs
 * more samples than quick can afford; benchmarks read their counts from the profile only.
 */
export const PROFILES: Record<string, Profile> = {
  quick: {
    name: 'quick',
    startupRestarts: 5,
    lookupRequests: 20_000,
    embeddedLookupRequests: 5_000,
    warmupRequests: 2_000,
    concurrency: 8,
    client: 'http',
  },
};
