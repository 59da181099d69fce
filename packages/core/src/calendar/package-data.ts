import data from 'chinese-days/dist/chinese-days.json' with { type: 'json' };

/**
 * What the chinese-days package knows: the official holidays and make-up workdays
 * (调休上班日) published by the State Council, 2004 to the last year published before the
 * release (2026 in 1.5.7).
 *
 * The package has no "which years do you know?" call, and its functions answer plain
 * weekends for a year it lacks. So we read the table it ships, dist/chinese-days.json
 * (date → "Spring Festival,春节,4"), and a year is known when the table names any of its
 * days. We read the JSON rather than call its functions because those build their tables
 * at load time with local-time Date getters: west of Greenwich every holiday lands a day
 * early (in America/Los_Angeles, 2026-02-14 comes out a holiday and 2026-02-13 a make-up
 * workday). The shipped JSON matches the functions in UTC and in Asia/Shanghai.
 */

export interface PackageDay {
  date: string;
  /** The festival in Chinese, e.g. 春节 */
  name: string;
}

export interface PackageYear {
  year: number;
  holidays: PackageDay[];
  workdays: PackageDay[];
  /** date → kind, for the days the package names */
  kinds: Map<string, 'holiday' | 'workday'>;
}

const table = data as {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
};

const years = new Map<number, PackageYear>();

function entry(year: number): PackageYear {
  let y = years.get(year);
  if (!y) {
    y = { year, holidays: [], workdays: [], kinds: new Map() };
    years.set(year, y);
  }
  return y;
}

for (const kind of ['holidays', 'workdays'] as const) {
  for (const [date, label] of Object.entries(table[kind]).sort(([a], [b]) => a.localeCompare(b))) {
    const y = entry(Number(date.slice(0, 4)));
    // "Spring Festival,春节,4": English, Chinese, the festival's index
    y[kind].push({ date, name: label.split(',')[1] ?? label });
    y.kinds.set(date, kind === 'holidays' ? 'holiday' : 'workday');
  }
}

/** The package's arrangement for `year`, or null when the package does not know the year. */
export function packageYear(year: number): PackageYear | null {
  return years.get(year) ?? null;
}

/** The years the package knows, ascending. */
export function packageYears(): number[] {
  return [...years.keys()].sort((a, b) => a - b);
}
