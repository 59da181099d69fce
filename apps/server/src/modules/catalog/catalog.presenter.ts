import {
  formToJsonSchema,
  type ItemContent,
  type ItemSummary,
  type ItemVersion,
} from '@yimen/core';
import type { ItemRow, VersionRow } from './catalog.repo.ts';

export function presentSummary(r: ItemRow): ItemSummary {
  return {
    code: r.code,
    name: r.name,
    nameEn: r.name_en,
    scopeRegionCode: r.scope_region_code,
    status: r.status,
    version: r.current_version,
    department: r.department,
    type: r.item_type,
    themes: r.themes,
    channels: r.channels,
    acceptLevel: r.accept_level,
    promisedDays: r.promised_days,
    visitsRequired: r.visits_required,
  };
}

export function presentVersion(item: ItemRow, v: VersionRow): ItemVersion {
  const content = v.content as ItemContent;
  return {
    code: item.code,
    scopeRegionCode: item.scope_region_code,
    version: v.version,
    status: v.status,
    publishedAt: v.published_at?.toISOString() ?? null,
    retiredAt: v.retired_at?.toISOString() ?? null,
    content,
    formJsonSchema: formToJsonSchema(content.form),
  };
}
