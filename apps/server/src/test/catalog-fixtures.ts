import type { CatalogItemFile, ItemContentInput } from '@yimen/core';

let n = 0;

/** A complete, publishable item; tests override what they are about. */
export function sampleItem(
  over: { code?: string; scopeRegionCode?: string; content?: Partial<ItemContentInput> } = {},
): CatalogItemFile {
  n++;
  const content: ItemContentInput = {
    basicCode: `TEST-${process.pid}-${n}`,
    name: { zh: '测试事项', en: 'Test item' },
    type: 'public_service',
    department: 'civil_affairs',
    themes: ['assistance'],
    legalBasis: ['《社会救助暂行办法》'],
    acceptConditions: [{ zh: '本市户籍居民', en: 'Registered residents of the city' }],
    applicantType: 'person',
    materials: [
      {
        key: 'idCard',
        name: { zh: '居民身份证', en: 'Resident ID card' },
        requirement: 'required',
        form: 'original',
        copies: 1,
      },
    ],
    form: {
      fields: [
        {
          key: 'reason',
          type: 'textarea',
          label: { zh: '申请事由', en: 'Reason' },
          required: true,
        },
        {
          key: 'householdSize',
          type: 'number',
          label: { zh: '家庭人口', en: 'Household size' },
          min: 1,
          max: 20,
          integer: true,
        },
      ],
    },
    routing: {
      acceptLevel: 'village',
      decideLevel: 'township',
      delivery: ['village_pickup'],
      crossRegion: 'city',
    },
    legalDays: 20,
    promisedDays: 5,
    visitsRequired: 1,
    resultType: 'approval_letter',
    channels: ['counter', 'proxy', 'online'],
    popularity: 10,
    ...over.content,
  };
  return {
    code: over.code ?? `4309-TEST-${process.pid}-${n}`,
    scopeRegionCode: over.scopeRegionCode ?? '4309',
    content: content as CatalogItemFile['content'],
  };
}
