/**
 * The catalogue's controlled vocabularies, each value with its label in zh-CN and English.
 * Values are stable identifiers used in data files and the API; labels are what people see.
 */
type Labels<K extends string> = Record<K, { zh: string; en: string }>;

export const ITEM_TYPES = {
  administrative_licensing: { zh: '行政许可', en: 'Administrative licensing' },
  administrative_payment: { zh: '行政给付', en: 'Administrative payment' },
  administrative_confirmation: { zh: '行政确认', en: 'Administrative confirmation' },
  administrative_ruling: { zh: '行政裁决', en: 'Administrative ruling' },
  other_administrative_power: { zh: '其他行政权力', en: 'Other administrative power' },
  public_service: { zh: '公共服务', en: 'Public service' },
} as const satisfies Labels<string>;
export type ItemType = keyof typeof ITEM_TYPES;

export const DEPARTMENTS = {
  public_security: { zh: '公安', en: 'Public security' },
  hrss: { zh: '人社', en: 'Human resources and social security' },
  medical_insurance: { zh: '医保', en: 'Medical insurance' },
  civil_affairs: { zh: '民政', en: 'Civil affairs' },
  health: { zh: '卫健', en: 'Health' },
  agriculture: { zh: '农业农村', en: 'Agriculture and rural affairs' },
  natural_resources: { zh: '自然资源', en: 'Natural resources' },
  veterans_affairs: { zh: '退役军人事务', en: 'Veterans affairs' },
  disabled_persons: { zh: '残联', en: 'Disabled persons’ federation' },
  housing: { zh: '住建', en: 'Housing and construction' },
  education: { zh: '教育', en: 'Education' },
  justice: { zh: '司法', en: 'Justice' },
  taxation: { zh: '税务', en: 'Taxation' },
  water: { zh: '水利', en: 'Water resources' },
  forestry: { zh: '林业', en: 'Forestry' },
  ecology: { zh: '生态环境', en: 'Ecology and environment' },
  market_regulation: { zh: '市场监管', en: 'Market regulation' },
  township: { zh: '乡镇人民政府', en: 'Township government' },
} as const satisfies Labels<string>;
export type Department = keyof typeof DEPARTMENTS;

export const THEMES = {
  birth: { zh: '生育', en: 'Birth' },
  household_registration: { zh: '户籍', en: 'Household registration' },
  employment: { zh: '就业', en: 'Employment' },
  pension: { zh: '养老', en: 'Pension' },
  medical_insurance: { zh: '医保', en: 'Medical insurance' },
  assistance: { zh: '救助', en: 'Social assistance' },
  elderly: { zh: '老年', en: 'Elderly' },
  disability: { zh: '残疾', en: 'Disability' },
  housing: { zh: '住房', en: 'Housing' },
  travel: { zh: '出行', en: 'Travel' },
  agriculture: { zh: '农业', en: 'Farming' },
  veterans: { zh: '退役军人', en: 'Veterans' },
  marriage: { zh: '婚姻', en: 'Marriage' },
  education: { zh: '教育', en: 'Education' },
  death: { zh: '身后事', en: 'After a death' },
  business: { zh: '经营', en: 'Business' },
} as const satisfies Labels<string>;
export type Theme = keyof typeof THEMES;

export const LEVELS = ['village', 'township', 'county', 'city', 'province'] as const;
export type ServiceLevel = (typeof LEVELS)[number];
export const LEVEL_LABELS: Labels<ServiceLevel> = {
  village: { zh: '村（社区）', en: 'Village' },
  township: { zh: '乡镇（街道）', en: 'Township' },
  county: { zh: '县（市、区）', en: 'County' },
  city: { zh: '市', en: 'City' },
  province: { zh: '省', en: 'Province' },
};

export const CROSS_REGION_SCOPES = ['none', 'county', 'city', 'province', 'nationwide'] as const;
export const RESULT_TYPES = {
  certificate: { zh: '证件', en: 'Certificate' },
  licence: { zh: '许可证', en: 'Licence' },
  approval_letter: { zh: '批复文书', en: 'Approval letter' },
  payment: { zh: '待遇发放', en: 'Payment' },
  none: { zh: '无', en: 'None' },
} as const satisfies Labels<string>;
export const DELIVERY_METHODS = {
  village_pickup: { zh: '村级代办点领取', en: 'Pick up at the village station' },
  counter_pickup: { zh: '窗口领取', en: 'Pick up at the counter' },
  mail: { zh: '邮寄', en: 'By post' },
  download: { zh: '网上下载', en: 'Download' },
} as const satisfies Labels<string>;
export const CHANNELS = {
  online: { zh: '网上办', en: 'Online' },
  counter: { zh: '窗口办', en: 'At the counter' },
  proxy: { zh: '代办', en: 'By proxy' },
} as const satisfies Labels<string>;
export const APPLICANT_TYPES = {
  person: { zh: '自然人', en: 'Person' },
  household: { zh: '户', en: 'Household' },
  organisation: { zh: '法人或其他组织', en: 'Organisation' },
} as const satisfies Labels<string>;

export function levelRank(level: ServiceLevel): number {
  return LEVELS.indexOf(level);
}
