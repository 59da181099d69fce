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
    description:
      'The default: every benchmark with counts that fit a small machine; the workload is one ' +
      'working day of 300 cases on each database, its busiest hour at 5× the city’s peak.',
    workloadCases: 300,
    embeddedWorkloadCases: 300,
    workloadConcurrency: 12,
    workloadVillages: 60,
    workloadPeakMultiple: 5,
    workloadBudgetMinutes: 60,
  },
};

/**
 * `year`: a year's volume through the workload generator, about 2 M applications end to end
 * on each database, every village taking part, 250 working days planned at 30× the city's
 * peak, which is more than a small machine does: the run goes as fast as the server can. It
 * takes many hours — days on 2 CPUs, longer on the embedded database (the generator prints an
 * estimate after its first minutes); the other benchmarks keep quick's counts. Meant for
 * `npm run bench -- --profile year --only workload`; `BENCH_WORKLOAD_MINUTES=30` stops each
 * database's run after 30 minutes and reports the share of the year done.
 */
PROFILES.year = {
  ...PROFILES.quick!,
  name: 'year',
  description:
    'A year of Yiyang: about 2,000,000 applications over 250 compressed working days, on ' +
    'PGlite and on PostgreSQL. Takes many hours (days on 2 CPUs); an estimate is printed ' +
    'after the first minutes. Other benchmarks run with quick’s counts.',
  workloadCases: 2_000_000,
  embeddedWorkloadCases: 2_000_000,
  workloadVillages: 1_446,
  workloadPeakMultiple: 30,
  workloadBudgetMinutes: 10 * 24 * 60,
};
