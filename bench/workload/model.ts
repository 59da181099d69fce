/**
 * The workload model: "a year of Yiyang on one small machine". Every number the generator
 * draws from is here, with where it comes from. Sources are the city's 2020 figures as the
 * project records them (docs/domain.md, data/regions, data/catalog); where no figure was
 * published, the assumption is named as one.
 *
 * - Residents: 3.85 M (益阳市, 7th census, 2020) over the 1,446 villages and communities of
 *   data/regions/4309.csv (1,134 村, 312 社区). No per-village population is in our data:
 *   ASSUMED a community holds twice a village's people, times a seeded log-normal spread
 *   (σ 0.4), scaled so the city totals 3.85 M (a village ~2,200, a community ~4,400).
 * - Volume: about 2 M applications a year (the figure docs/benchmarks.md's lifecycle uses)
 *   over 250 working days (2020: 366 days, 104 weekend days, 11 holidays, ~1 make-up day):
 *   8,000 a working day. Cases come from residents in proportion to their village's people.
 * - The day: offices open 08:00–18:00 (ten hourly slots). ASSUMED shape, with a morning peak
 *   9–11 holding 15% of the day in each of its two hours (the lifecycle benchmark's 15% peak
 *   hour), a lunch trough and a smaller afternoon wave. The real city's peak hour is then
 *   8,000 × 15% = 1,200 cases an hour, 0.33 cases/s: CITY_PEAK_CASES_PER_SECOND.
 * - Items: the published catalogue items that run accept → approve → issue → hand over with no
 *   department system, accepted at the village station and decided at the township (found
 *   through the API, see catalog.ts). Popularity is Zipf-like: ranked by the catalogue's own
 *   `popularity` figure, weight 1/rank (s = 1).
 * - Channels: online 30%, counter 55%, proxy 15% (ASSUMED from the 2020 reform's accounts:
 *   most villagers still come to the counter; 代办 serves the old and the ill).
 * - Corrections 10% (the approver sends one notice, the citizen answers it online), denials
 *   5%, cross-region 3% (跨域通办: received at a station of another township, for items whose
 *   scope allows it), ratings on 60% of concluded cases (好差评; grades ASSUMED 80% 非常满意,
 *   15% 满意, 3.5% 基本满意, 1% 不满意, 0.5% 非常不满意, in line with the >99% satisfaction
 *   the platforms report). All ASSUMED round figures.
 * - Reads mixed in: the approver's worklist before each decision, the agent's before each
 *   online acceptance and each hand-over; one anonymous catalogue search per case, plus one
 *   by each online applicant; half of all e-certificates verified once (a bank or an office
 *   scanning the QR code); the leader's figures once per 100 cases.
 */

/** 益阳市, 2020. */
export const YIYANG = {
  residents: 3_850_000,
  villages: 1_446,
  applicationsPerYear: 2_000_000,
  workingDays: 250,
} as const;

export const CASES_PER_WORKING_DAY = YIYANG.applicationsPerYear / YIYANG.workingDays;

/** Share of each office hour (08:00 … 17:00) in a working day's arrivals; sums to 1. */
export const HOURLY_SHARE: readonly number[] = [
  0.07, 0.15, 0.15, 0.11, 0.04, 0.05, 0.12, 0.12, 0.11, 0.08,
];
export const FIRST_HOUR = 8;
export const PEAK_HOUR_SHARE = Math.max(...HOURLY_SHARE);
export const CITY_PEAK_CASES_PER_SECOND = (CASES_PER_WORKING_DAY * PEAK_HOUR_SHARE) / 3600;

export const CHANNEL_SHARE = { online: 0.3, counter: 0.55, proxy: 0.15 } as const;
export type Channel = keyof typeof CHANNEL_SHARE;

export const SHARE = {
  correction: 0.1,
  denial: 0.05,
  crossRegion: 0.03,
  rating: 0.6,
  /** Of issued e-certificates. */
  verify: 0.5,
  /** Of cases: how often the leader looks at the figures. */
  figures: 0.01,
} as const;

export const RATING_SHARE = { '5': 0.8, '4': 0.15, '3': 0.035, '2': 0.01, '1': 0.005 } as const;

export const ZIPF_EXPONENT = 1;
/** A community (社区) holds this many times a village's people (ASSUMED). */
export const COMMUNITY_FACTOR = 2;
export const POPULATION_SIGMA = 0.4;
/** Villagers per village the generator's numbering leaves room for (people.ts). */
export const VILLAGE_SLOTS = 15_000;
