import type { Db } from '../db/connection.ts';
import {
  ensureGroup,
  ensureWindow,
  findPointByCode,
  listGroups,
} from '../modules/queue/queue.repo.ts';

/**
 * The demo halls: the township centres of the story (修山镇, 沧水铺镇) and the demo agents'
 * village stations get service groups and windows, so 取号 / 叫号 works on first start.
 */
const TOWNSHIP_GROUPS = [
  { prefix: 'A', name: '综合窗口', nameEn: 'General services' },
  { prefix: 'B', name: '社保医保', nameEn: 'Social and medical insurance' },
  { prefix: 'C', name: '户籍', nameEn: 'Household registration' },
];
const TOWNSHIP_WINDOWS = [
  { name: '1号窗口', groups: ['A'] },
  { name: '2号窗口', groups: ['A', 'C'] },
  { name: '3号窗口', groups: ['B'] },
  { name: '4号窗口', groups: ['C', 'A'] },
];
const VILLAGE_GROUPS = TOWNSHIP_GROUPS.slice(0, 2);
const VILLAGE_WINDOWS = [
  { name: '1号窗口', groups: ['A', 'B'] },
  { name: '2号窗口', groups: ['B', 'A'] },
];

const DEMO_HALLS = [
  { code: '430922101', groups: TOWNSHIP_GROUPS, windows: TOWNSHIP_WINDOWS },
  { code: '430903105', groups: TOWNSHIP_GROUPS, windows: TOWNSHIP_WINDOWS },
  { code: '430922101220', groups: VILLAGE_GROUPS, windows: VILLAGE_WINDOWS },
  { code: '430922101224', groups: VILLAGE_GROUPS, windows: VILLAGE_WINDOWS },
  { code: '430903105237', groups: VILLAGE_GROUPS, windows: VILLAGE_WINDOWS },
];

/** Idempotent: groups by prefix and windows by name are added only where missing. */
export async function seedDemoQueue(db: Db): Promise<number> {
  let created = 0;
  for (const hall of DEMO_HALLS) {
    const sp = await findPointByCode(db, hall.code);
    if (!sp) continue;
    for (const [i, g] of hall.groups.entries()) {
      const added = await ensureGroup(db, {
        service_point_id: sp.id,
        prefix: g.prefix,
        name: g.name,
        name_en: g.nameEn,
        sort: i,
      });
      if (added) created++;
    }
    const idOf = new Map((await listGroups(db, sp.id)).map((g) => [g.prefix, g.id]));
    for (const w of hall.windows) {
      await ensureWindow(db, {
        service_point_id: sp.id,
        name: w.name,
        group_ids: w.groups.map((p) => idOf.get(p)!).filter(Boolean),
      });
    }
  }
  return created;
}
