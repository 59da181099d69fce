import type { Db } from '../../db/connection.ts';
import {
  catalogGeneration,
  type ItemRow,
  listPublishedForSearch,
  type SearchParams,
} from './catalog.repo.ts';

/**
 * The public catalogue search, answered from memory. A city's catalogue is about a thousand
 * items that change a few times a week, and villagers search it all day: scanning the items
 * table for each keystroke costs milliseconds of database time, while matching a thousand
 * short strings in memory costs microseconds. The copy is checked on every search against
 * catalog_generation (one row, bumped by a statement trigger in the transaction of every
 * change to catalog_item: migration 0010), so a publish in any process is seen by the next
 * search in every process — never a stale answer, whatever wrote the change.
 *
 * Matching and ranking are the same as repo.searchItems, which still serves administrators'
 * listings (drafts, retired items, code lookup): see the test that compares the two.
 */
type Entry = ItemRow & { name_pinyin: string; name_initials: string; search_text: string };

interface Snapshot {
  generation: string;
  entries: Entry[];
  /**
   * For each one- and two-character gram, the entries (by index, ascending) whose name,
   * pinyin, initials or guide text hold it. A match holds every gram of the query in one of
   * those fields, so intersecting the query's grams' lists gives every candidate; each is
   * then checked and ranked as before. The guide texts run to megabytes in all, too much
   * to scan on every keystroke.
   */
  grams: Map<string, number[]>;
}

function gramsOf(text: string, into: Set<string>): void {
  for (let i = 0; i < text.length; i++) {
    into.add(text[i]!);
    if (i + 1 < text.length) into.add(text.slice(i, i + 2));
  }
}

function indexGrams(entries: Entry[]): Map<string, number[]> {
  const grams = new Map<string, number[]>();
  entries.forEach((e, i) => {
    const own = new Set<string>();
    for (const field of [e.name, e.name_pinyin, e.name_initials, e.search_text])
      gramsOf(field, own);
    for (const g of own) {
      const list = grams.get(g);
      if (list) list.push(i);
      else grams.set(g, [i]);
    }
  });
  return grams;
}

/** Indexes of the entries that may match `q` (all of them when `q` is empty). */
function candidates(s: Snapshot, q: string | undefined): Iterable<number> {
  if (!q) return s.entries.keys();
  const wanted = new Set<string>();
  if (q.length === 1) wanted.add(q);
  else for (let i = 0; i + 1 < q.length; i++) wanted.add(q.slice(i, i + 2));
  const lists = [...wanted].map((g) => s.grams.get(g) ?? []).sort((a, b) => a.length - b.length);
  let out = lists[0] ?? [];
  for (const list of lists.slice(1)) {
    const has = new Set(list);
    out = out.filter((i) => has.has(i));
  }
  return out;
}

const snapshots = new WeakMap<Db, Promise<Snapshot>>();

async function load(db: Db, generation: string): Promise<Snapshot> {
  const entries: Entry[] = await listPublishedForSearch(db);
  return { generation, entries, grams: indexGrams(entries) };
}

/** The published items as of now: the copy in memory when still current, else read afresh. */
async function published(db: Db): Promise<Snapshot> {
  // The generation is read before the items: a copy is never labelled newer than it is.
  const generation = await catalogGeneration(db);
  const cached = snapshots.get(db);
  if (cached) {
    const s = await cached.catch(() => null);
    if (s && s.generation === generation) return s;
  }
  const loading = load(db, generation);
  snapshots.set(db, loading);
  try {
    return await loading;
  } catch (err) {
    if (snapshots.get(db) === loading) snapshots.delete(db);
    throw err;
  }
}

type Query = Pick<
  SearchParams,
  'q' | 'region' | 'theme' | 'department' | 'channel' | 'limit' | 'offset'
>;

const LETTERS = /^[a-z]+$/;

/** 0 exact, 1 prefix, 2 contained in the name's forms, 4 found only in the guide text. */
function rankOf(e: Entry, raw: string, q: string): number | null {
  if (LETTERS.test(q)) {
    const inNames = e.name_initials.includes(q) || e.name_pinyin.includes(q);
    if (!inNames && !e.search_text.includes(q)) return null;
    if (e.name_initials === q || e.name_pinyin === q) return 0;
    if (e.name_initials.startsWith(q) || e.name_pinyin.startsWith(q)) return 1;
    return inNames ? 2 : 4;
  }
  const inName = e.name.includes(q);
  if (!inName && !e.search_text.includes(q)) return null;
  if (e.name === raw) return 0;
  if (e.name.startsWith(q)) return 1;
  return inName ? 2 : 4;
}

/** Published items matching the query, ranked, one page of them and the total. */
export async function searchPublished(
  db: Db,
  p: Query,
): Promise<{ rows: ItemRow[]; total: number }> {
  const q = p.q?.toLowerCase();
  const hits: { e: Entry; rank: number }[] = [];
  const snapshot = await published(db);
  for (const i of candidates(snapshot, q)) {
    const e = snapshot.entries[i]!;
    if (p.region && !p.region.startsWith(e.scope_region_code)) continue;
    if (p.theme && !e.themes.includes(p.theme)) continue;
    if (p.department && e.department !== p.department) continue;
    if (p.channel && !e.channels.includes(p.channel)) continue;
    const rank = q ? rankOf(e, p.q!, q) : 0;
    if (rank !== null) hits.push({ e, rank });
  }
  hits.sort(
    (a, b) =>
      a.rank - b.rank ||
      b.e.popularity - a.e.popularity ||
      (a.e.code < b.e.code ? -1 : a.e.code > b.e.code ? 1 : 0),
  );
  const rows = hits.slice(p.offset, p.offset + p.limit).map(({ e }) => {
    const { name_pinyin: _p, name_initials: _i, search_text: _s, ...row } = e;
    return row;
  });
  return { rows, total: hits.length };
}
