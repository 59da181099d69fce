import { levelOfCode } from '../region-code.ts';
import type { CatalogItemFile, ItemContent } from './item-schema.ts';
import { levelRank, type ServiceLevel } from './vocab.ts';

/** One broken rule: the path inside the item and the message in both languages. */
export interface ItemProblem {
  field: string;
  message: { zh: string; en: string };
}

const SCOPE_LEVELS: Record<string, ServiceLevel> = {
  province: 'province',
  city: 'city',
  county: 'county',
};

/**
 * The rules a version must meet to be published, beyond its shape (which zod checks). All
 * problems are returned at once, each naming the field, so an administrator fixes them in
 * one pass — the 一次性告知 principle applied to ourselves.
 */
export function checkItem(
  item: Pick<CatalogItemFile, 'scopeRegionCode' | 'content'>,
  opts: { prefix?: string; knownItemCodes: ReadonlySet<string> },
): ItemProblem[] {
  const c: ItemContent = item.content;
  const at = (path: string) => `${opts.prefix ?? ''}${path}`;
  const problems: ItemProblem[] = [];
  const add = (path: string, zh: string, en: string) =>
    problems.push({ field: at(path), message: { zh, en } });

  const scopeLevel = SCOPE_LEVELS[levelOfCode(item.scopeRegionCode) ?? ''];
  if (!scopeLevel) {
    add(
      'scopeRegionCode',
      '适用范围须为省、市或县级行政区划',
      'the scope must be a province, city or county',
    );
  } else if (levelRank(c.routing.acceptLevel) > levelRank(scopeLevel)) {
    add(
      'content.routing.acceptLevel',
      '受理层级不能高于事项适用范围',
      'the accepting level cannot be above the item’s scope',
    );
  }
  if (levelRank(c.routing.decideLevel) < levelRank(c.routing.acceptLevel)) {
    add(
      'content.routing.decideLevel',
      '审批层级不能低于受理层级',
      'the deciding level cannot be below the accepting level',
    );
  }
  if (c.promisedDays > c.legalDays) {
    add(
      'content.promisedDays',
      '承诺时限不能长于法定时限',
      'the promised time limit cannot exceed the legal one',
    );
  }
  if (c.visitsRequired === 0 && !c.channels.includes('online')) {
    add(
      'content.channels',
      '“零跑动”事项须可网上办理',
      'an item needing no visit must be available online',
    );
  }
  const needsTemplate = c.resultType === 'certificate' || c.resultType === 'licence';
  if (needsTemplate && !c.certificateTemplate) {
    add(
      'content.certificateTemplate',
      '结果为证照的事项须有证照模板',
      'a certificate or licence result needs a template',
    );
  }
  if (c.routing.delivery.includes('download') && !needsTemplate) {
    add(
      'content.routing.delivery',
      '只有电子证照可以网上下载',
      'only e-certificates can be downloaded',
    );
  }
  const formKeys = new Set(c.form.fields.map((f) => f.key));
  c.certificateTemplate?.fields.forEach((key, i) => {
    if (!formKeys.has(key)) {
      add(
        `content.certificateTemplate.fields.${i}`,
        `证照字段 ${key} 不在申请表中`,
        `certificate field ${key} is not in the form`,
      );
    }
  });
  const materialKeys = new Set<string>();
  c.materials.forEach((m, i) => {
    if (materialKeys.has(m.key))
      add(
        `content.materials.${i}.key`,
        `材料标识 ${m.key} 重复`,
        `duplicate material key ${m.key}`,
      );
    materialKeys.add(m.key);
    if (m.requirement === 'conditional' && !m.condition) {
      add(
        `content.materials.${i}.condition`,
        '容缺或条件材料须写明适用情形',
        'a conditional material must say when it is needed',
      );
    }
    if (m.source.kind === 'eCertificate' && !opts.knownItemCodes.has(m.source.certificateType)) {
      add(
        `content.materials.${i}.source.certificateType`,
        `免提交所依据的证照事项 ${m.source.certificateType} 不存在`,
        `no item ${m.source.certificateType} issues the e-certificate named`,
      );
    }
  });
  return problems;
}
