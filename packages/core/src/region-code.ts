/**
 * Administrative division codes (行政区划代码) as published by the National Bureau of
 * Statistics: province 2, city 4, county 6, township 9, village 12 digits. We store each
 * code at its natural length; a 12-digit form padded with zeros ("430922101000") is
 * accepted and shortened to the level it names.
 */
export const REGION_LEVELS = ['province', 'city', 'county', 'township', 'village'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

const LENGTH_BY_LEVEL: Record<RegionLevel, number> = {
  province: 2,
  city: 4,
  county: 6,
  township: 9,
  village: 12,
};

const LEVEL_BY_LENGTH = new Map<number, RegionLevel>(
  REGION_LEVELS.map((level) => [LENGTH_BY_LEVEL[level], level]),
);

export function levelOfCode(code: string): RegionLevel | undefined {
  return /^\d+$/.test(code) ? LEVEL_BY_LENGTH.get(code.length) : undefined;
}

/**
 * Turns user input into the stored form, or undefined when it is not a region code at all.
 * "430922101000" → "430922101", "430900000000" → "4309", "430922101220" stays.
 */
export function normalizeRegionCode(input: string): string | undefined {
  if (!/^\d+$/.test(input)) return undefined;
  if (input.length === 12) {
    if (input.slice(9) !== '000') return input;
    if (input.slice(6, 9) !== '000') return input.slice(0, 9);
    if (input.slice(4, 6) !== '00') return input.slice(0, 6);
    if (input.slice(2, 4) !== '00') return input.slice(0, 4);
    return input.slice(0, 2);
  }
  return LEVEL_BY_LENGTH.has(input.length) ? input : undefined;
}

/** The codes of every ancestor, from the province down, not including the code itself. */
export function ancestorCodes(code: string): string[] {
  const out: string[] = [];
  for (const level of REGION_LEVELS) {
    const len = LENGTH_BY_LEVEL[level];
    if (len >= code.length) break;
    out.push(code.slice(0, len));
  }
  return out;
}

export function parentCode(code: string): string | undefined {
  const ancestors = ancestorCodes(code);
  return ancestors[ancestors.length - 1];
}

/** True when `code` is `ancestor` itself or lies inside its subtree. */
export function isWithinRegion(code: string, ancestor: string): boolean {
  return code.startsWith(ancestor);
}

export function codeLengthOfLevel(level: RegionLevel): number {
  return LENGTH_BY_LEVEL[level];
}
