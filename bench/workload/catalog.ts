import { type FormField, type ItemContent, makeTestIdNumber } from '@yimen/core';
import type { ApiClient } from '../lib/api.ts';

/**
 * The items the workload applies for, found through the public catalogue API as any client
 * would: published, accepted at the village station (村级受理), decided and issued by the
 * township under its one seal (乡镇审批) with no department system in between and no review
 * step, and with a form whose every field the generator knows how to fill. In the demo
 * catalogue that is 17 items, 生育登记 among them (the lifecycle benchmark's one item).
 */

export interface WorkloadItem {
  code: string;
  name: string;
  scopeRegionCode: string;
  popularity: number;
  content: ItemContent;
}

interface ItemPage {
  items: { code: string; acceptLevel: string; status: string }[];
  total: number;
}

/** Why an item cannot run end to end at the village and township, or null when it can. */
export function unfitReason(content: ItemContent): string | null {
  const r = content.routing;
  if (r.acceptLevel !== 'village') return `accepted at the ${r.acceptLevel}`;
  if (r.decideLevel !== 'township') return `decided at the ${r.decideLevel}`;
  if (r.departmentSystem) return `goes to the ${r.departmentSystem} system`;
  if (content.workflow?.reviewRequired) return 'needs a review step';
  if (!content.channels.includes('counter')) return 'not offered at the counter';
  if (content.form.fields.some((f) => f.type === 'text' && f.pattern))
    return 'a text field with a pattern';
  return null;
}

export const CROSS_PREFIX: Record<string, number | null> = {
  none: null,
  county: 6,
  city: 4,
  province: 2,
  nationwide: 0,
};

export async function findWorkloadItems(
  api: ApiClient,
): Promise<{ items: WorkloadItem[]; skipped: number }> {
  const candidates: string[] = [];
  for (let offset = 0; ; offset += 200) {
    const page = await api.expect<ItemPage>(
      200,
      'GET',
      `/api/v1/catalog/items?limit=200&offset=${offset}`,
    );
    for (const it of page.items)
      if (it.acceptLevel === 'village' && it.status === 'published') candidates.push(it.code);
    if (page.items.length < 200) break;
  }
  const items: WorkloadItem[] = [];
  for (const code of candidates) {
    const v = await api.expect<{ scopeRegionCode: string; content: ItemContent }>(
      200,
      'GET',
      `/api/v1/catalog/items/${encodeURIComponent(code)}`,
    );
    if (unfitReason(v.content) !== null) continue;
    items.push({
      code,
      name: v.content.name.zh,
      scopeRegionCode: v.scopeRegionCode,
      popularity: v.content.popularity,
      content: v.content,
    });
  }
  return { items, skipped: candidates.length - items.length };
}

export interface Applicant {
  name: string;
  idNumber: string;
  mobile: string;
  village: string;
}

const FIXED_DATE = '2020-06-01';

function fieldValue(f: FormField, who: Applicant, firstId: boolean): unknown {
  switch (f.type) {
    case 'text':
      return /name/i.test(f.key) ? who.name : '基准测试'.slice(0, f.maxLength);
    case 'textarea':
      return '基准测试生成的申请说明。';
    case 'number': {
      const low = f.min ?? 0;
      const v = f.max === undefined ? low + 1 : Math.min(low + 1, f.max);
      return f.integer ? Math.ceil(v) : v;
    }
    case 'date':
      return FIXED_DATE;
    case 'boolean':
      return false;
    case 'select':
      return f.multiple ? [f.options[0]!.value] : f.options[0]!.value;
    case 'idNumber':
      // The applicant's own number in the first ID field; a relative's in the others.
      return firstId ? who.idNumber : makeTestIdNumber(who.village.slice(0, 6), '19800101', '011');
    case 'mobile':
      return who.mobile;
    case 'region':
      return who.village.slice(0, f.level === 'county' ? 6 : f.level === 'township' ? 9 : 12);
  }
}

/** A valid form for the item, filled from the applicant's record like the counter app does. */
export function fillForm(content: ItemContent, who: Applicant): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  let firstId = true;
  for (const f of content.form.fields) {
    data[f.key] = fieldValue(f, who, f.type === 'idNumber' && firstId);
    if (f.type === 'idNumber') firstId = false;
  }
  return data;
}

/** The materials an applicant must hand in (免提交 e-certificates are scanned too: none is held yet). */
export function requiredMaterials(content: ItemContent): string[] {
  return content.materials.filter((m) => m.requirement === 'required').map((m) => m.key);
}
