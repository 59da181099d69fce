/**
 * Builds a benchmark catalogue of exactly 1,088 items — the size of Yiyang's service app in
 * 2020 — from the seeded items in data/catalog plus generated variants:
 *
 * 1. the 82 seeded items (63 village, 16 township-centre, 3 county-local);
 * 2. county implementations (实施清单) of the seeded city-wide items that a county decides,
 *    one per county-level unit of Yiyang, code `<county>-<basicCode>`;
 * 3. synthetic items per department, named from word lists (对象 + 事项: 养老机构备案,
 *    林木种子生产经营许可证变更, …) so that pinyin search has realistic Chinese to work on.
 *
 * Deterministic: a seeded PRNG, no clock, files read in sorted order. Every entry passes
 * `catalogItemFileSchema` and the cross-item checks, and codes are unique.
 *
 *   node --import tsx scripts/generate-catalog.ts [out.json]   (default /tmp/yimen-catalog-1088.json)
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CATALOG_DATA_DIR,
  listCatalogDataFiles,
  readCatalogData,
} from '../apps/server/src/modules/catalog/catalog.seed.ts';
import {
  type CatalogItemFile,
  catalogItemFileSchema,
  checkCatalogData,
  type Department,
  formatCatalogDataIssues,
  type ItemContentInput,
  type ItemType,
  LEVELS,
  type ServiceLevel,
  type Theme,
} from '../packages/core/src/index.ts';

export { CATALOG_DATA_DIR, listCatalogDataFiles, readCatalogData };
export const APP_CATALOG_SIZE = 1088;
const DEFAULT_OUT = '/tmp/yimen-catalog-1088.json';

/** An item as written before parsing (defaults may be left out). */
type CatalogItemInput = { code: string; scopeRegionCode: string; content: ItemContentInput };

/** The county-level units of 益阳市 (data/regions/4309.csv). */
export const YIYANG_COUNTIES: readonly { code: string; name: string }[] = [
  { code: '430902', name: '资阳区' },
  { code: '430903', name: '赫山区' },
  { code: '430921', name: '南县' },
  { code: '430922', name: '桃江县' },
  { code: '430923', name: '安化县' },
  { code: '430971', name: '大通湖管理区' },
  { code: '430972', name: '益阳高新区' },
  { code: '430981', name: '沅江市' },
];

// ---- deterministic randomness ----

/** mulberry32: small, fast, good enough to pick words; the same seed gives the same catalogue. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(rand: Rand, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

// ---- word lists ----

interface Action {
  zh: string;
  en: string;
  typeCode: string;
  type: ItemType;
  result: 'certificate' | 'licence' | 'approval_letter' | 'payment' | 'none';
}

const ACTIONS: Record<string, Action> = {
  certify: {
    zh: '证明',
    en: 'certificate',
    typeCode: 'QR',
    type: 'administrative_confirmation',
    result: 'certificate',
  },
  register: {
    zh: '登记',
    en: 'registration',
    typeCode: 'QR',
    type: 'administrative_confirmation',
    result: 'certificate',
  },
  recognise: {
    zh: '认定',
    en: 'recognition',
    typeCode: 'QR',
    type: 'administrative_confirmation',
    result: 'approval_letter',
  },
  subsidy: {
    zh: '补贴申请',
    en: 'subsidy',
    typeCode: 'JF',
    type: 'administrative_payment',
    result: 'payment',
  },
  grant: {
    zh: '补助发放',
    en: 'grant',
    typeCode: 'JF',
    type: 'administrative_payment',
    result: 'payment',
  },
  review: {
    zh: '审核',
    en: 'review',
    typeCode: 'QT',
    type: 'other_administrative_power',
    result: 'approval_letter',
  },
  file: {
    zh: '备案',
    en: 'filing',
    typeCode: 'QT',
    type: 'other_administrative_power',
    result: 'none',
  },
  change: {
    zh: '变更',
    en: 'change of details',
    typeCode: 'GG',
    type: 'public_service',
    result: 'none',
  },
  cancel: {
    zh: '注销',
    en: 'cancellation',
    typeCode: 'GG',
    type: 'public_service',
    result: 'none',
  },
  reissue: {
    zh: '补办',
    en: 'replacement',
    typeCode: 'QR',
    type: 'administrative_confirmation',
    result: 'certificate',
  },
  permit: {
    zh: '许可',
    en: 'permit',
    typeCode: 'XK',
    type: 'administrative_licensing',
    result: 'licence',
  },
  renew: {
    zh: '延续',
    en: 'renewal',
    typeCode: 'XK',
    type: 'administrative_licensing',
    result: 'licence',
  },
  enquire: {
    zh: '信息查询',
    en: 'records enquiry',
    typeCode: 'GG',
    type: 'public_service',
    result: 'none',
  },
  book: {
    zh: '预约服务',
    en: 'appointment',
    typeCode: 'GG',
    type: 'public_service',
    result: 'none',
  },
};

interface DeptWords {
  prefix: string;
  themes: Theme[];
  system?: string;
  /** [zh, en, actions that make sense for it] */
  objects: [string, string, string[]][];
}

const LIC = ['permit', 'renew', 'change', 'cancel', 'file'];

const DEPT_WORDS: Partial<Record<Department, DeptWords>> = {
  civil_affairs: {
    prefix: 'MZ',
    themes: ['assistance', 'elderly'],
    system: 'civil-affairs',
    objects: [
      ['低收入家庭', 'low-income household', ['recognise', 'certify', 'change', 'review']],
      ['低保边缘家庭', 'near-dibao household', ['recognise', 'subsidy', 'change']],
      ['留守儿童', 'left-behind child', ['register', 'enquire', 'book']],
      ['农村留守老年人', 'left-behind older person', ['register', 'book', 'subsidy']],
      ['养老机构', 'care home', ['file', 'change', 'cancel', 'subsidy']],
      ['社会团体', 'social association', ['register', 'change', 'cancel', 'file']],
      ['民办非企业单位', 'private non-profit unit', ['register', 'change', 'cancel']],
      ['慈善组织', 'charity', ['recognise', 'file', 'change']],
      ['地名', 'place name', ['review', 'change', 'enquire']],
      ['流浪乞讨人员', 'homeless person', ['register', 'grant']],
      ['居家养老服务', 'home care for older people', ['subsidy', 'book', 'review']],
      ['困难群众冬春生活救助', 'winter and spring aid', ['grant', 'review']],
      ['百岁老人长寿补贴', 'centenarian allowance', ['subsidy', 'change']],
      ['婚姻登记档案', 'marriage registration record', ['certify', 'enquire']],
      ['殡葬服务', 'funeral service', ['book', 'subsidy']],
      ['村务监督', 'village affairs oversight', ['file', 'enquire']],
      ['儿童督导员', 'child welfare supervisor', ['register', 'change']],
    ],
  },
  health: {
    prefix: 'WJ',
    themes: ['birth', 'elderly'],
    objects: [
      ['医师执业', 'medical practice', LIC],
      ['护士执业', 'nursing practice', LIC],
      ['乡村医生执业', 'village doctor practice', LIC],
      ['医疗机构执业', 'medical institution', LIC],
      ['出生医学证明', 'medical birth certificate', ['reissue', 'change', 'certify']],
      ['预防接种证', 'vaccination record', ['reissue', 'enquire', 'book']],
      ['公共场所卫生许可证', 'public-place hygiene permit', LIC],
      ['饮用水供水单位卫生许可证', 'drinking-water hygiene permit', LIC],
      ['放射诊疗', 'radiological practice', LIC],
      ['母婴保健技术服务', 'maternal health service', LIC],
      ['严重精神障碍患者', 'person with severe mental illness', ['register', 'subsidy', 'book']],
      ['老年人健康体检', 'older-person health check', ['book', 'enquire']],
      ['独生子女伤残死亡家庭', 'family that lost its only child', ['grant', 'recognise', 'book']],
      [
        '计划生育手术并发症人员',
        'person injured by family-planning surgery',
        ['recognise', 'subsidy'],
      ],
      ['中医诊所', 'traditional medicine clinic', ['file', 'change', 'cancel']],
    ],
  },
  hrss: {
    prefix: 'RS',
    themes: ['employment', 'pension'],
    system: 'hrss',
    objects: [
      ['职业资格证书', 'vocational qualification certificate', ['reissue', 'certify', 'enquire']],
      ['职业技能等级证书', 'skill level certificate', ['reissue', 'certify', 'enquire']],
      ['职工基本养老保险', 'employees’ pension', ['change', 'enquire', 'review', 'cancel']],
      ['失业保险', 'unemployment insurance', ['change', 'enquire', 'subsidy']],
      ['工伤保险', 'work-injury insurance', ['recognise', 'subsidy', 'change', 'enquire']],
      ['稳岗返还', 'job-retention refund', ['subsidy', 'review']],
      ['就业见习', 'internship', ['subsidy', 'register', 'file']],
      ['一次性创业补贴', 'one-off start-up grant', ['subsidy', 'review']],
      ['劳务派遣', 'labour dispatch', LIC],
      ['人力资源服务', 'human resources service', LIC],
      ['劳动合同', 'employment contract', ['file', 'enquire']],
      ['劳动人事争议', 'labour dispute', ['register', 'book', 'enquire']],
      ['技工学校学生', 'technical school student', ['subsidy', 'register']],
      ['公益性岗位', 'public-welfare job', ['subsidy', 'review', 'register']],
      ['社会保险个人权益记录', 'personal social insurance record', ['certify', 'enquire']],
      ['企业年金方案', 'enterprise annuity plan', ['file', 'change']],
      ['高技能人才', 'high-skilled worker', ['recognise', 'subsidy']],
    ],
  },
  medical_insurance: {
    prefix: 'YB',
    themes: ['medical_insurance'],
    system: 'medical-insurance',
    objects: [
      [
        '职工基本医疗保险',
        'employees’ medical insurance',
        ['register', 'change', 'cancel', 'enquire'],
      ],
      ['医保定点医药机构', 'designated medical provider', ['review', 'change', 'cancel']],
      ['生育保险待遇', 'maternity insurance benefit', ['subsidy', 'review']],
      ['大病保险', 'critical-illness insurance', ['subsidy', 'enquire']],
      ['医保个人账户', 'personal medical account', ['change', 'enquire', 'cancel']],
      ['参保缴费记录', 'contribution record', ['certify', 'enquire']],
      ['医保电子凭证', 'medical insurance e-voucher', ['register', 'change']],
      ['特殊药品', 'special medicine', ['review', 'file']],
      ['长期护理保险', 'long-term care insurance', ['review', 'subsidy']],
    ],
  },
  public_security: {
    prefix: 'GA',
    themes: ['household_registration', 'travel'],
    system: 'public-security',
    objects: [
      ['户口登记项目', 'household registration details', ['change', 'certify']],
      ['临时居民身份证', 'temporary ID card', ['register', 'reissue']],
      ['户籍证明', 'household registration certificate', ['certify']],
      ['无犯罪记录证明', 'certificate of no criminal record', ['certify']],
      ['居住登记', 'residence registration', ['register', 'change', 'cancel']],
      ['犬只', 'dog', ['register', 'change', 'cancel']],
      ['烟花爆竹燃放', 'fireworks display', ['permit']],
      ['大型群众性活动安全', 'large public event safety', ['permit', 'change']],
      ['旅馆业特种行业许可证', 'hotel special-trade licence', LIC],
      ['机动车', 'motor vehicle', ['register', 'change', 'cancel', 'reissue']],
      ['驾驶证', 'driving licence', ['reissue', 'renew', 'change']],
      ['电动自行车', 'electric bicycle', ['register', 'change', 'cancel']],
      ['出入境证件', 'travel document', ['book', 'reissue', 'enquire']],
    ],
  },
  agriculture: {
    prefix: 'NY',
    themes: ['agriculture'],
    objects: [
      ['农作物种子生产经营许可证', 'crop seed licence', LIC],
      ['农药经营许可证', 'pesticide trading licence', LIC],
      ['兽药经营许可证', 'veterinary drug licence', LIC],
      ['动物防疫条件合格证', 'animal epidemic prevention certificate', LIC],
      ['生鲜乳收购站许可证', 'raw milk purchase licence', LIC],
      ['拖拉机和联合收割机', 'tractor and combine harvester', ['register', 'change', 'cancel']],
      ['家庭农场', 'family farm', ['register', 'change', 'subsidy']],
      ['农民专业合作社示范社', 'model farmers’ cooperative', ['recognise', 'subsidy']],
      ['高标准农田建设', 'high-standard farmland', ['subsidy', 'review']],
      ['农业生产社会化服务', 'contracted farm services', ['subsidy', 'file']],
      ['稻渔综合种养', 'rice–fish farming', ['subsidy', 'file']],
      ['水产苗种生产许可证', 'aquatic fry licence', LIC],
      ['渔业船舶', 'fishing vessel', ['register', 'change', 'cancel']],
      ['病死畜禽无害化处理', 'disposal of dead livestock', ['subsidy', 'book']],
      ['农产品质量安全追溯', 'farm produce traceability', ['register', 'enquire']],
      ['绿色食品', 'green food', ['recognise', 'renew', 'subsidy']],
      ['农机作业', 'machine farming work', ['subsidy', 'file']],
      ['集体资产', 'collective assets', ['file', 'enquire', 'review']],
    ],
  },
  natural_resources: {
    prefix: 'ZR',
    themes: ['housing'],
    objects: [
      ['不动产抵押', 'property mortgage', ['register', 'change', 'cancel']],
      ['不动产更正', 'property record correction', ['register']],
      ['不动产登记资料', 'property records', ['enquire', 'certify']],
      ['乡村建设规划许可证', 'rural building permit', LIC],
      ['临时用地', 'temporary land use', ['permit', 'renew']],
      ['设施农业用地', 'land for farm facilities', ['file', 'change']],
      ['地质灾害隐患点', 'geological hazard point', ['register', 'subsidy']],
      ['采矿权', 'mining right', LIC],
      ['测绘成果', 'survey results', ['enquire', 'book']],
    ],
  },
  veterans_affairs: {
    prefix: 'TY',
    themes: ['veterans'],
    objects: [
      [
        '退役士兵自主就业一次性经济补助',
        'one-off grant for self-employed veterans',
        ['subsidy', 'review'],
      ],
      ['伤残抚恤', 'disability pension for servicemen', ['recognise', 'change', 'grant']],
      ['烈士褒扬金', 'martyr’s honour grant', ['grant']],
      ['退役军人创业', 'veteran’s business start', ['subsidy', 'register']],
      ['退役军人职业技能培训', 'veterans’ skills training', ['register', 'subsidy']],
      ['优抚对象医疗', 'medical care for entitled people', ['subsidy', 'review']],
      ['烈士纪念设施祭扫', 'visits to martyrs’ memorials', ['book', 'subsidy']],
      ['现役军人家庭', 'family of a serving soldier', ['register', 'certify']],
    ],
  },
  disabled_persons: {
    prefix: 'CL',
    themes: ['disability'],
    objects: [
      [
        '残疾儿童康复救助',
        'rehabilitation aid for disabled children',
        ['subsidy', 'review', 'book'],
      ],
      ['残疾人职业培训', 'vocational training for disabled people', ['register', 'subsidy']],
      ['残疾人自主创业', 'business start by a disabled person', ['subsidy', 'review']],
      ['残疾人机动轮椅车燃油', 'fuel for disabled drivers’ vehicles', ['subsidy']],
      ['残疾大学生', 'disabled university student', ['subsidy', 'recognise']],
      ['盲人按摩', 'blind massage practice', ['register', 'subsidy']],
      ['残疾人托养服务', 'residential care for disabled people', ['subsidy', 'book']],
    ],
  },
  housing: {
    prefix: 'ZJ',
    themes: ['housing'],
    objects: [
      ['农村住房建设', 'rural house building', ['file', 'review']],
      ['公共租赁住房', 'public rental housing', ['review', 'change', 'cancel', 'book']],
      ['住房公积金', 'housing provident fund', ['register', 'change', 'enquire', 'certify']],
      ['建筑施工企业安全生产许可证', 'construction safety licence', LIC],
      ['农房抗震改造', 'earthquake-proofing of rural houses', ['subsidy', 'review']],
      ['既有住宅加装电梯', 'adding lifts to old buildings', ['subsidy', 'file']],
      ['房屋租赁合同', 'house lease contract', ['file', 'change']],
    ],
  },
  education: {
    prefix: 'JY',
    themes: ['education'],
    objects: [
      ['义务教育阶段转学', 'school transfer in compulsory education', ['review', 'book']],
      ['教师资格', 'teacher qualification', ['recognise', 'change', 'reissue']],
      ['学历证明', 'proof of education', ['certify', 'reissue']],
      ['民办学校', 'private school', LIC],
      ['校外培训机构', 'after-school training provider', LIC],
      ['随迁子女入学', 'schooling for migrant workers’ children', ['review', 'book']],
      ['生源地信用助学贷款', 'student loan from the home county', ['review', 'register']],
      ['营养改善计划', 'school nutrition programme', ['subsidy', 'enquire']],
    ],
  },
  justice: {
    prefix: 'SF',
    themes: ['assistance'],
    objects: [
      ['公证', 'notarisation', ['book', 'enquire', 'certify']],
      ['基层法律服务工作者执业', 'grass-roots legal worker practice', LIC],
      ['律师执业', 'lawyer’s practice', LIC],
      ['司法鉴定', 'forensic appraisal', ['book', 'enquire']],
      ['社区矫正对象外出', 'travel by a person on community correction', ['review']],
      ['刑满释放人员', 'released prisoner', ['register', 'subsidy']],
      ['人民调解员', 'people’s mediator', ['register', 'subsidy']],
    ],
  },
  taxation: {
    prefix: 'SW',
    themes: ['business'],
    objects: [
      ['个人所得税', 'individual income tax', ['file', 'certify', 'enquire']],
      ['完税证明', 'tax payment certificate', ['certify']],
      ['车辆购置税', 'vehicle purchase tax', ['file', 'certify']],
      ['契税', 'deed tax', ['file', 'certify']],
      ['耕地占用税', 'farmland occupation tax', ['file', 'review']],
      ['税务登记', 'tax registration', ['register', 'change', 'cancel']],
      ['发票领用', 'invoice issue', ['register', 'change', 'cancel']],
    ],
  },
  water: {
    prefix: 'SL',
    themes: ['agriculture'],
    objects: [
      ['取水许可', 'water abstraction permit', LIC],
      ['河道管理范围内建设项目', 'construction in a river zone', ['permit', 'change']],
      ['水土保持方案', 'soil and water conservation plan', ['permit', 'change', 'file']],
      ['农田水利设施', 'farm irrigation works', ['subsidy', 'book']],
      ['河道采砂', 'river sand mining', LIC],
      ['小型水库', 'small reservoir', ['register', 'file']],
    ],
  },
  forestry: {
    prefix: 'LY',
    themes: ['agriculture'],
    objects: [
      ['林权', 'forest right', ['register', 'change', 'cancel']],
      ['使用林地', 'use of forest land', ['permit', 'change']],
      ['林木种子生产经营许可证', 'tree seed licence', LIC],
      ['野生动物造成损失', 'damage by wild animals', ['subsidy', 'review']],
      ['生态公益林', 'ecological forest', ['subsidy', 'recognise']],
      ['森林防火期野外用火', 'outdoor fire in the fire season', ['permit']],
      ['植物检疫证书', 'plant quarantine certificate', ['permit', 'reissue']],
      ['油茶林新造', 'new camellia-oil plantation', ['subsidy', 'review']],
    ],
  },
  ecology: {
    prefix: 'ST',
    themes: ['agriculture'],
    objects: [
      ['建设项目环境影响登记表', 'environmental impact registration', ['file', 'change']],
      ['排污许可', 'pollutant discharge permit', LIC],
      ['农村生活污水治理', 'rural sewage treatment', ['subsidy', 'book']],
      ['畜禽养殖污染治理', 'livestock pollution control', ['subsidy', 'review']],
    ],
  },
  market_regulation: {
    prefix: 'SC',
    themes: ['business'],
    objects: [
      ['农民专业合作社', 'farmers’ cooperative', ['register', 'change', 'cancel']],
      ['个体工商户', 'sole proprietorship', ['change', 'cancel', 'file']],
      ['食品经营许可证', 'food business licence', LIC],
      ['小餐饮', 'small eatery', ['register', 'change', 'cancel']],
      ['食品小作坊', 'small food workshop', ['register', 'change', 'cancel']],
      ['药品经营许可证', 'pharmacy licence', LIC],
      ['特种设备使用', 'special equipment use', ['register', 'change', 'cancel']],
      ['计量器具', 'measuring instruments', ['file', 'book']],
      ['消费投诉', 'consumer complaint', ['register', 'enquire']],
      ['商标', 'trademark', ['enquire', 'book']],
    ],
  },
  township: {
    prefix: 'XZ',
    themes: ['housing', 'agriculture'],
    objects: [
      ['村民建房开工放线', 'siting before building a house', ['book', 'review']],
      ['农村建房竣工验收', 'inspection of a finished rural house', ['book', 'review']],
      ['一事一议筹资筹劳', 'village project funding', ['file', 'review']],
      ['农村公路养护', 'rural road upkeep', ['book', 'register']],
      ['防汛抗旱物资', 'flood and drought supplies', ['register', 'grant']],
      ['村级公益事业', 'village public works', ['subsidy', 'file']],
      ['网格民情诉求', 'grid request', ['register', 'enquire']],
    ],
  },
};

const DEPT_ORDER = Object.keys(DEPT_WORDS) as Department[];

// ---- building one synthetic item ----

const F = {
  name: {
    key: 'applicantName',
    type: 'text',
    label: { zh: '申请人姓名', en: 'Applicant’s name' },
    required: true,
    maxLength: 50,
  },
  id: {
    key: 'idNumber',
    type: 'idNumber',
    label: { zh: '公民身份号码', en: 'Citizen ID number' },
    required: true,
  },
  mobile: {
    key: 'mobile',
    type: 'mobile',
    label: { zh: '联系电话', en: 'Mobile phone' },
    required: true,
  },
  village: {
    key: 'residenceVillage',
    type: 'region',
    level: 'village',
    label: { zh: '所在村（社区）', en: 'Village or community' },
    required: true,
  },
} as const;

const EXTRA_FIELDS: ItemContentInput['form']['fields'] = [
  {
    key: 'description',
    type: 'textarea',
    label: { zh: '情况说明', en: 'Explanation' },
    required: false,
    maxLength: 1000,
  },
  {
    key: 'effectiveDate',
    type: 'date',
    label: { zh: '发生日期', en: 'Date' },
    required: false,
    notAfterToday: true,
  },
  {
    key: 'quantity',
    type: 'number',
    label: { zh: '数量', en: 'Quantity' },
    required: false,
    min: 0,
    max: 100000,
  },
  {
    key: 'organisation',
    type: 'text',
    label: { zh: '单位或经营主体名称', en: 'Organisation or business' },
    required: false,
    maxLength: 100,
  },
  {
    key: 'address',
    type: 'text',
    label: { zh: '详细地址', en: 'Address' },
    required: false,
    maxLength: 200,
  },
  {
    key: 'consent',
    type: 'boolean',
    label: { zh: '同意共享核验相关信息', en: 'Agrees to data checks' },
    required: true,
  },
  {
    key: 'channelPreference',
    type: 'select',
    label: { zh: '结果领取方式', en: 'How to receive the result' },
    required: true,
    options: [
      { value: 'village', label: { zh: '村级服务站领取', en: 'At the village station' } },
      { value: 'mail', label: { zh: '邮寄', en: 'By post' } },
      { value: 'download', label: { zh: '网上下载', en: 'Download' } },
    ],
  },
];

const EXTRA_MATERIALS: NonNullable<ItemContentInput['materials']> = [
  {
    key: 'applicationForm',
    name: { zh: '申请表', en: 'Application form' },
    requirement: 'required',
    form: 'original',
    copies: 1,
  },
  {
    key: 'householdRegister',
    name: { zh: '居民户口簿', en: 'Household register' },
    requirement: 'required',
    form: 'scan',
    copies: 1,
  },
  {
    key: 'supportingDocuments',
    name: { zh: '相关证明材料', en: 'Supporting documents' },
    requirement: 'required',
    form: 'scan',
    copies: 1,
  },
  {
    key: 'photos',
    name: { zh: '现场照片', en: 'Photos of the site' },
    requirement: 'required',
    form: 'scan',
    copies: 1,
    formats: ['jpeg', 'png'],
  },
  {
    key: 'proxyAuthorisation',
    name: { zh: '代办委托书', en: 'Proxy authorisation' },
    requirement: 'conditional',
    condition: {
      zh: '委托他人代为申请的',
      en: 'when someone else applies on the applicant’s behalf',
    },
    form: 'original',
    copies: 1,
  },
];

const LEGAL_DAYS = [1, 3, 5, 10, 15, 20, 30, 45, 60];

function synthetic(
  rand: Rand,
  dept: Department,
  words: DeptWords,
  object: [string, string, string[]],
  actionKey: string,
  basicCode: string,
  scope: { code: string; name: string } | null,
): CatalogItemInput {
  const action = ACTIONS[actionKey]!;
  const zhName = `${scope ? scope.name : ''}${object[0]}${action.zh}`;
  const enName = `${object[1][0]!.toUpperCase()}${object[1].slice(1)}: ${action.en}`;
  const forOrganisations = action.type === 'administrative_licensing';
  const extras = EXTRA_FIELDS.filter(() => rand() < 0.35).slice(0, 4);
  const fields = [F.name, F.id, F.mobile, F.village, ...extras];
  const materials = [
    {
      key: 'idCard',
      name: { zh: '申请人居民身份证', en: 'The applicant’s resident identity card' },
      requirement: 'required' as const,
      form: 'original' as const,
      copies: 0,
      source: { kind: 'eCertificate' as const, certificateType: '4309-GA-QR-001' },
    },
    ...EXTRA_MATERIALS.filter(() => rand() < 0.4),
  ];
  const maxAccept = scope ? 2 : 3; // a county item is accepted at county level at most
  const acceptLevel = LEVELS[Math.floor(rand() * maxAccept)] as ServiceLevel;
  const acceptRank = LEVELS.indexOf(acceptLevel);
  const decideLevel = LEVELS[Math.min(acceptRank + Math.floor(rand() * 3), 3)] as ServiceLevel;
  const legalDays = pick(rand, LEGAL_DAYS);
  const promisedDays = Math.max(0, Math.round(legalDays * (0.1 + rand() * 0.5)));
  const visitsRequired = action.result === 'licence' && rand() < 0.5 ? 1 : rand() < 0.2 ? 1 : 0;
  const certificate = action.result === 'certificate' || action.result === 'licence';
  const channels: ('online' | 'counter' | 'proxy')[] = ['online', 'counter'];
  if (acceptLevel === 'village') channels.push('proxy');
  const delivery: ('village_pickup' | 'counter_pickup' | 'mail' | 'download')[] =
    acceptLevel === 'village' ? ['village_pickup'] : ['counter_pickup'];
  if (certificate) delivery.push('mail', 'download');
  // A long-tailed demand: most generated items are rarely used, a few are popular.
  const popularity = Math.floor(5 + 3000 * rand() ** 6);
  const crossRegion = pick(rand, ['none', 'none', 'none', 'county', 'city', 'province'] as const);
  return {
    code: `${scope ? scope.code : '4309'}-${basicCode}`,
    scopeRegionCode: scope ? scope.code : '4309',
    content: {
      basicCode,
      name: { zh: zhName, en: scope ? `${enName} (${scope.code})` : enName },
      type: action.type,
      department: dept,
      themes: words.themes,
      summary: {
        zh: `办理${object[0]}${action.zh}。`,
        en: `${enName}.`,
      },
      legalBasis: [],
      acceptConditions: [
        { zh: '符合相关法律法规规定的条件', en: 'Meets the conditions set by law' },
      ],
      applicantType: forOrganisations ? 'organisation' : 'person',
      materials,
      form: { fields: [...fields] },
      routing: {
        acceptLevel,
        decideLevel,
        decideBy: rand() < 0.8 ? 'applicant_region' : 'object_region',
        ...(words.system && decideLevel !== 'village' && rand() < 0.6
          ? { departmentSystem: words.system }
          : {}),
        delivery,
        crossRegion: scope && crossRegion !== 'none' ? 'county' : crossRegion,
      },
      legalDays,
      promisedDays,
      visitsRequired,
      fee: { kind: 'none' },
      resultType: action.result,
      ...(certificate
        ? {
            certificateTemplate: {
              title: {
                zh: `${object[0]}${action.result === 'licence' ? '许可证' : '证明'}`,
                en: `${object[1]} ${action.result}`,
              },
              fields: extras
                .filter((f) => f.type === 'text' || f.type === 'date')
                .map((f) => f.key),
            },
          }
        : {}),
      channels,
      popularity,
      notes:
        '生成数据（scripts/generate-catalog.ts），仅用于性能测试，不是真实事项。Generated for benchmarks; not a real item.',
    },
  };
}

// ---- the catalogue ----

/** The seeded catalogue from data/catalog, in file order. */
export function seedCatalog(dir = CATALOG_DATA_DIR): CatalogItemFile[] {
  return readCatalogData(dir).map((e) => e.item);
}

/**
 * A catalogue of `count` items: the seeds, county implementations, then synthetic items.
 * The same `count` and `seed` always give the same catalogue.
 */
export function generateCatalog(count = APP_CATALOG_SIZE, seed = 20200901): CatalogItemFile[] {
  const seeds = seedCatalog();
  if (count <= seeds.length) return seeds.slice(0, count);
  const rand = prng(seed);
  const out: CatalogItemFile[] = [...seeds];
  const codes = new Set(out.map((i) => i.code));
  const names = new Set(out.map((i) => `${i.scopeRegionCode}|${i.content.name.zh}`));
  const add = (input: CatalogItemInput): boolean => {
    if (codes.has(input.code)) return false;
    const key = `${input.scopeRegionCode}|${input.content.name.zh}`;
    if (names.has(key)) return false;
    out.push(catalogItemFileSchema.parse(input));
    codes.add(input.code);
    names.add(key);
    return true;
  };

  // 2. County implementations of the city-wide items a county department decides.
  const countyDecided = seeds.filter(
    (i) => i.scopeRegionCode === '4309' && i.content.routing.decideLevel === 'county',
  );
  for (const county of YIYANG_COUNTIES) {
    for (const item of countyDecided) {
      if (out.length >= count) return out;
      add({
        code: `${county.code}-${item.content.basicCode}`,
        scopeRegionCode: county.code,
        content: {
          ...item.content,
          notes:
            `${county.name}实施清单中的同名事项（生成数据，仅用于性能测试）。County implementation generated for benchmarks. ${item.content.notes ?? ''}`.slice(
              0,
              2000,
            ),
        },
      });
    }
  }

  // 3. Synthetic items, department by department, until the count is reached.
  const numbers = new Map<string, number>();
  const nextCode = (prefix: string, typeCode: string) => {
    const k = `${prefix}-${typeCode}`;
    const n = (numbers.get(k) ?? 100) + 1;
    numbers.set(k, n);
    return `${k}-${String(n).padStart(3, '0')}`;
  };
  const combos: [Department, [string, string, string[]], string][] = [];
  for (const dept of DEPT_ORDER) {
    for (const object of DEPT_WORDS[dept]!.objects) {
      for (const action of object[2]) combos.push([dept, object, action]);
    }
  }
  let round = 0;
  while (out.length < count) {
    if (round > 20) throw new Error(`cannot generate ${count} distinct items`);
    for (const [dept, object, actionKey] of combos) {
      if (out.length >= count) break;
      const words = DEPT_WORDS[dept]!;
      // Round 0: city-wide items; later rounds: county-local versions, named after the county.
      const scope = round === 0 ? null : pick(rand, YIYANG_COUNTIES);
      const basicCode = nextCode(words.prefix, ACTIONS[actionKey]!.typeCode);
      add(synthetic(rand, dept, words, object, actionKey, basicCode, scope));
    }
    round++;
  }
  return out;
}

function main() {
  const outPath = path.resolve(process.argv[2] ?? DEFAULT_OUT);
  const catalog = generateCatalog();
  const problems = checkCatalogData(
    catalog.map((item, index) => ({ source: outPath, index, item })),
  );
  if (problems.length) throw new Error(formatCatalogDataIssues(problems));
  fs.writeFileSync(outPath, `${JSON.stringify(catalog, null, 2)}\n`);
  const byScope = new Map<string, number>();
  for (const i of catalog)
    byScope.set(i.scopeRegionCode, (byScope.get(i.scopeRegionCode) ?? 0) + 1);
  console.log(
    `wrote ${catalog.length} items to ${outPath} (${[...byScope].map(([k, v]) => `${k}: ${v}`).join(', ')})`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href)
  main();
