/**
 * One error type for everything the platform refuses on purpose. Each code has one HTTP
 * status and one message in zh-CN and English; `details` fills the placeholders and
 * `fields` names each bad input. Clients get
 * `{ error: { code, message, fields?, requestId } }` and never a stack trace.
 */
export const ERROR_CODES = {
  VALIDATION_FAILED: {
    status: 400,
    zh: '请求内容有误，请检查标出的字段',
    en: 'The request has invalid fields',
  },
  MALFORMED_JSON: {
    status: 400,
    zh: '请求正文不是有效的 JSON',
    en: 'The request body is not valid JSON',
  },
  BODY_TOO_LARGE: {
    status: 413,
    zh: '请求正文过大（上限 {limit} 字节）',
    en: 'The request body is too large (limit {limit} bytes)',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    zh: '不支持的内容类型 {contentType}',
    en: 'Unsupported content type {contentType}',
  },
  BAD_REQUEST: { status: 400, zh: '请求无效：{reason}', en: 'Bad request: {reason}' },
  INVALID_REGION_CODE: {
    status: 400,
    zh: '行政区划代码格式错误：应为 2、4、6、9 或 12 位数字',
    en: 'Malformed region code: expected 2, 4, 6, 9 or 12 digits',
  },
  REGION_NOT_FOUND: { status: 404, zh: '行政区划 {code} 不存在', en: 'Region {code} not found' },
  SERVICE_POINT_NOT_FOUND: {
    status: 404,
    zh: '服务网点 {code} 不存在',
    en: 'Service point {code} not found',
  },
  NOT_FOUND: { status: 404, zh: '未找到', en: 'Not found' },
  UNAUTHENTICATED: { status: 401, zh: '请先登录', en: 'Sign in first' },
  INVALID_CREDENTIALS: {
    status: 401,
    zh: '用户名或密码错误',
    en: 'Wrong username or password',
  },
  INVALID_TOKEN: {
    status: 401,
    zh: '登录凭证无效或已过期，请重新登录',
    en: 'The session or token is invalid or expired; sign in again',
  },
  ACCOUNT_LOCKED: {
    status: 423,
    zh: '登录失败次数过多，账号已暂时锁定，请 {retryAfter} 秒后再试',
    en: 'Too many failed sign-ins; the account is locked for {retryAfter} s',
  },
  ACCOUNT_DISABLED: { status: 403, zh: '账号已停用', en: 'The account is disabled' },
  CSRF_FAILED: {
    status: 403,
    zh: '缺少或错误的 CSRF 令牌（请求头 x-csrf-token）',
    en: 'Missing or wrong CSRF token (header x-csrf-token)',
  },
  FORBIDDEN: {
    status: 403,
    zh: '当前角色无权执行此操作（{permission}）',
    en: 'Your roles do not allow this ({permission})',
  },
  SMS_CODE_INVALID: {
    status: 400,
    zh: '验证码错误或已过期',
    en: 'The SMS code is wrong or expired',
  },
  SMS_RATE_LIMITED: {
    status: 429,
    zh: '验证码发送过于频繁，请 {retryAfter} 秒后再试',
    en: 'Too many SMS codes requested; try again in {retryAfter} s',
  },
  USERNAME_TAKEN: {
    status: 409,
    zh: '用户名 {username} 已被使用',
    en: 'Username {username} is taken',
  },
  USER_NOT_FOUND: { status: 404, zh: '用户不存在', en: 'User not found' },
  ROLE_NOT_GRANTABLE: {
    status: 403,
    zh: '无权授予角色 {role}',
    en: 'You may not grant the role {role}',
  },
  SESSION_NOT_FOUND: { status: 404, zh: '会话不存在', en: 'Session not found' },
  RESIDENT_NOT_FOUND: { status: 404, zh: '居民不存在', en: 'Resident not found' },
  HOUSEHOLD_NOT_FOUND: { status: 404, zh: '户不存在', en: 'Household not found' },
  ID_NUMBER_TAKEN: {
    status: 409,
    zh: '该身份证号码已登记',
    en: 'A resident with this ID number is already registered',
  },
  HOUSEHOLD_NO_TAKEN: {
    status: 409,
    zh: '户号 {householdNo} 已被使用',
    en: 'Household number {householdNo} is taken',
  },
  HOUSEHOLD_HEAD_TAKEN: {
    status: 409,
    zh: '该户已有户主',
    en: 'The household already has a head',
  },
  ITEM_NOT_FOUND: { status: 404, zh: '事项 {code} 不存在', en: 'Item {code} not found' },
  VERSION_NOT_FOUND: {
    status: 404,
    zh: '事项 {code} 没有第 {version} 版',
    en: 'Item {code} has no version {version}',
  },
  ITEM_CODE_TAKEN: {
    status: 409,
    zh: '事项编码 {code} 已存在',
    en: 'Item code {code} already exists',
  },
  VERSION_NOT_DRAFT: {
    status: 409,
    zh: '事项 {code} 第 {version} 版已{status}，不能修改；请保存为新版本',
    en: 'Version {version} of {code} is {status} and cannot change; save a new version instead',
  },
  ITEM_NOT_PUBLISHED: { status: 409, zh: '事项 {code} 未发布', en: 'Item {code} is not published' },
  PUBLISH_CHECK_FAILED: {
    status: 422,
    zh: '发布前检查未通过，共 {count} 个问题',
    en: 'The publishing checks found {count} problem(s)',
  },
  APPLICATION_NOT_FOUND: { status: 404, zh: '办件不存在', en: 'Application not found' },
  ACTION_NOT_ALLOWED: {
    status: 409,
    zh: '办件当前状态为“{status}”，不能{action}；可以进行：{allowed}',
    en: 'The case is {status}; {action} is not possible now. Allowed: {allowed}',
  },
  VERSION_CONFLICT: {
    status: 409,
    zh: '办件已被他人处理（当前第 {current} 版，状态“{status}”），请刷新后再操作',
    en: 'Someone else acted on this case first (now version {current}, {status}); reload and try again',
  },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    zh: 'Idempotency-Key {key} 已用于另一个不同的请求',
    en: 'Idempotency-Key {key} was already used for a different request',
  },
  NO_SERVICE_POINT: {
    status: 422,
    zh: '行政区划 {region} 没有{level}级服务网点，无法流转',
    en: 'No {level} service point for region {region}',
  },
  NOT_CROSS_REGION: {
    status: 422,
    zh: '该事项的跨域通办范围（{scope}）不包括此受理地',
    en: 'This item cannot be accepted here: its cross-region scope is {scope}',
  },
  ITEM_NOT_AVAILABLE: {
    status: 422,
    zh: '事项 {code} 不适用于申请人所在地区',
    en: 'Item {code} does not apply to the applicant’s region',
  },
  CHANNEL_NOT_OFFERED: {
    status: 422,
    zh: '事项 {code} 不提供“{channel}”办理方式',
    en: 'Item {code} is not offered through the {channel} channel',
  },
  MATERIALS_MISSING: {
    status: 422,
    zh: '缺少必需材料：{keys}',
    en: 'Required materials are missing: {keys}',
  },
  CONSENT_INVALID: {
    status: 400,
    zh: '代办授权验证失败：{reason}',
    en: 'The proxy consent could not be verified: {reason}',
  },
  RECIPIENT_MISMATCH: {
    status: 422,
    zh: '领取人身份核验不通过：身份证号与申请人不符',
    en: 'Recipient check failed: the ID number is not the applicant’s',
  },
  FILE_NOT_FOUND: { status: 404, zh: '文件不存在', en: 'File not found' },
  FILE_TYPE_NOT_ALLOWED: {
    status: 415,
    zh: '只接受 PDF、JPEG、PNG 文件（按内容识别）',
    en: 'Only PDF, JPEG and PNG files are accepted (checked by content)',
  },
  ALREADY_RATED: { status: 409, zh: '该办件已评价', en: 'This case has already been rated' },
  NOT_RATABLE: { status: 409, zh: '办件办结后方可评价', en: 'A case can be rated once concluded' },
  FOLLOW_UP_NOT_FOUND: { status: 404, zh: '回访任务不存在', en: 'Follow-up not found' },
  CERTIFICATE_NOT_FOUND: {
    status: 404,
    zh: '证照 {certificateNo} 不存在',
    en: 'Certificate {certificateNo} not found',
  },
  CERTIFICATE_ALREADY_REVOKED: {
    status: 409,
    zh: '证照 {certificateNo} 已于 {revokedAt} 撤销',
    en: 'Certificate {certificateNo} was already revoked at {revokedAt}',
  },
  CALENDAR_YEAR_NOT_LOADED: {
    status: 404,
    zh: '{year} 年没有管理员导入的节假日安排',
    en: 'No holiday arrangement for {year} has been loaded by an administrator',
  },
  CONFLICT: { status: 409, zh: '数据冲突：{reason}', en: 'Conflict: {reason}' },
  // The integration hub (modules/integrations).
  DEPARTMENT_AUTH_FAILED: {
    status: 401,
    zh: '部门系统请求未通过认证：{reason}',
    en: 'Department system request not authenticated: {reason}',
  },
  DEPARTMENT_SYSTEM_NOT_FOUND: {
    status: 404,
    zh: '部门系统接入 {id} 不存在',
    en: 'Department connector {id} not found',
  },
  DEPARTMENT_SYSTEM_TAKEN: {
    status: 409,
    zh: '接入编码或客户端标识已被使用：{value}',
    en: 'The connector code or client id is taken: {value}',
  },
  WEBHOOK_NOT_FOUND: {
    status: 404,
    zh: '订阅 {id} 不存在',
    en: 'Webhook subscription {id} not found',
  },
  OUTBOX_MESSAGE_NOT_FOUND: {
    status: 404,
    zh: '消息 {id} 不存在',
    en: 'Outbox message {id} not found',
  },
  NOT_REPLAYABLE: {
    status: 409,
    zh: '消息 {id} 当前为“{status}”，只有死信可以重发',
    en: 'Message {id} is {status}; only dead letters can be replayed',
  },
  MESSAGE_ID_REUSED: {
    status: 422,
    zh: '消息编号 {messageId} 已用于另一个不同的请求',
    en: 'Message id {messageId} was already used for a different request',
  },
  // The service-hall queue (modules/queue).
  QUEUE_GROUP_NOT_FOUND: { status: 404, zh: '业务分组不存在', en: 'Queue group not found' },
  QUEUE_WINDOW_NOT_FOUND: { status: 404, zh: '窗口不存在', en: 'Window not found' },
  QUEUE_TICKET_NOT_FOUND: { status: 404, zh: '号码不存在', en: 'Ticket not found' },
  QUEUE_NOT_YOUR_POINT: {
    status: 403,
    zh: '只有{servicePoint}的工作人员可以在此取号、就座和叫号',
    en: 'Only staff of {servicePoint} can issue tickets, sit at its windows and call there',
  },
  QUEUE_NOT_AT_WINDOW: {
    status: 403,
    zh: '你没有在“{window}”就座，不能用这个窗口叫号或办理',
    en: 'You are not seated at {window}; only the person seated there can call or serve from it',
  },
  QUEUE_WINDOW_TAKEN: {
    status: 409,
    zh: '“{window}”已由 {name} 就座；如需接替，请选择“接替”',
    en: '{window} is taken by {name}; choose “take over” to replace them',
  },
  QUEUE_WINDOW_BUSY: {
    status: 409,
    zh: '“{window}”正在处理 {number}，请先办结、过号或转移',
    en: '{window} is still on {number}: finish, skip or transfer it first',
  },
  QUEUE_WINDOW_INACTIVE: {
    status: 409,
    zh: '“{window}”已停用',
    en: '{window} is deactivated',
  },
  QUEUE_GROUP_INACTIVE: {
    status: 409,
    zh: '业务“{group}”已停用，不能取号或转入',
    en: 'The group {group} is deactivated: no tickets can be issued or transferred to it',
  },
  QUEUE_TICKET_STATE: {
    status: 409,
    zh: '号码 {number} 当前为“{statusZh}”，不能{actionZh}',
    en: 'Ticket {number} is {statusEn}; it cannot be {actionEn}',
  },
  QUEUE_PREFIX_TAKEN: {
    status: 409,
    zh: '号码前缀 {prefix} 已被“{group}”使用',
    en: 'The prefix {prefix} is used by {group}',
  },
  QUEUE_WINDOW_NAME_TAKEN: {
    status: 409,
    zh: '窗口名称“{window}”已存在',
    en: 'A window named {window} exists already',
  },
  QUEUE_SAME_GROUP: {
    status: 422,
    zh: '号码已在“{group}”，请选择另一项业务',
    en: 'The ticket is in {group} already; choose another group',
  },
  ROUTE_NOT_FOUND: {
    status: 404,
    zh: '接口 {method} {url} 不存在',
    en: 'No endpoint {method} {url}',
  },
  METHOD_NOT_ALLOWED: { status: 405, zh: '不允许的请求方法', en: 'Method not allowed' },
  RATE_LIMITED: {
    status: 429,
    zh: '请求过于频繁，请稍后再试',
    en: 'Too many requests, try again later',
  },
  SERVICE_UNAVAILABLE: {
    status: 503,
    zh: '服务暂不可用：{reason}',
    en: 'Service unavailable: {reason}',
  },
  INTERNAL: {
    status: 500,
    zh: '服务器内部错误，请凭请求编号联系管理员',
    en: 'Internal error; quote the request id to the administrator',
  },
} as const satisfies Record<string, { status: number; zh: string; en: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;
export type Lang = 'zh-CN' | 'en';

/** A message in both languages, so field errors can be rendered in either. */
export interface Bilingual {
  zh: string;
  en: string;
}

export interface FieldError {
  /** Where the bad value is: "body.name", "query.limit", "params.code". */
  field: string;
  message: Bilingual;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, string | number>;
  readonly fields: FieldError[] | undefined;

  constructor(
    code: ErrorCode,
    details: Record<string, string | number> = {},
    fields?: FieldError[],
  ) {
    super(fill(ERROR_CODES[code].en, details));
    this.name = 'AppError';
    this.code = code;
    this.details = details;
    this.fields = fields;
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }

  localizedMessage(lang: Lang): string {
    const entry = ERROR_CODES[this.code];
    return fill(lang === 'en' ? entry.en : entry.zh, this.details);
  }
}

function fill(template: string, details: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, key: string) =>
    key in details ? String(details[key]) : m,
  );
}

/** zh-CN unless the client prefers English over Chinese in Accept-Language. */
export function pickLang(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return 'zh-CN';
  const ranked = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag, q: q ? Number(q.slice(2)) || 0 : 1, index };
    })
    .filter((x) => x.tag.startsWith('en') || x.tag.startsWith('zh'))
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked[0]?.tag.startsWith('en') ? 'en' : 'zh-CN';
}
