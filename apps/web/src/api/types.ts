export type Bi = { zh: string; en: string };

export interface Me {
  id: string;
  kind: 'staff' | 'citizen';
  name: string;
  username: string | null;
  roles: { role: string; label: string }[];
  servicePoint: { code: string; name: string; kind: string; regionCode: string } | null;
  regionPath: { code: string; name: string; level: string }[];
  mobileMasked: string | null;
  resident: { id: string; name: string; idNumberMasked: string } | null;
}

export interface SignInAnswer {
  user: Me;
  expiresAt: string;
  csrfToken?: string;
}

export interface ItemSummary {
  code: string;
  name: string;
  nameEn: string;
  department: string;
  themes: string[];
  channels: string[];
  acceptLevel: string;
  promisedDays: number;
  visitsRequired: number;
}

export interface FormField {
  key: string;
  label: Bi;
  required: boolean;
  type:
    | 'text'
    | 'textarea'
    | 'number'
    | 'date'
    | 'boolean'
    | 'select'
    | 'idNumber'
    | 'mobile'
    | 'region';
  maxLength?: number;
  min?: number;
  max?: number;
  options?: { value: string; label: Bi }[];
  multiple?: boolean;
  level?: string;
  notAfterToday?: boolean;
  help?: Bi;
}

export interface MaterialSpec {
  key: string;
  name: Bi;
  requirement: 'required' | 'conditional' | 'optional';
  condition?: Bi;
  form: string;
  copies: number;
  formats: string[];
  source: { kind: string };
}

export interface ItemDetail {
  code: string;
  version: number;
  content: {
    name: Bi;
    summary: Bi;
    legalBasis: string[];
    acceptConditions: Bi[];
    materials: MaterialSpec[];
    form: { fields: FormField[] };
    promisedDays: number;
    legalDays: number;
    visitsRequired: number;
    fee: { kind: string };
    channels: string[];
    department: string;
    routing: { acceptLevel: string; decideLevel: string; delivery: string[] };
  };
}

export interface Unit {
  code: string;
  name: string;
}

export type Light = 'green' | 'yellow' | 'red' | 'none';

export interface CaseSummary {
  id: string;
  applicationNo: string;
  itemCode: string;
  itemName: string;
  applicantName: string;
  channel: 'online' | 'counter' | 'proxy';
  status: string;
  statusLabel: string;
  version: number;
  itemVersion: number;
  received: Unit;
  deciding: Unit;
  delivering: Unit;
  crossRegion: boolean;
  submittedAt: string;
  dueDate: string | null;
  dueIsEstimate: boolean;
  light: Light;
}

export interface HistoryEntry {
  seq: number;
  action: string;
  label: string;
  toStatus: string;
  actor: { kind: string; name: string | null; servicePoint: string | null };
  comment: string | null;
  payload: unknown;
  occurredAt: string;
}

export interface CaseDetail extends CaseSummary {
  applicant: { id: string; name: string; idNumberMasked: string };
  formData: Record<string, unknown>;
  materials: { key: string; source: string; sha256: string | null; filename: string | null }[];
  missingMaterials: string[];
  history: HistoryEntry[];
  allowedActions: string[];
  certificateNo: string | null;
  correction: { missing?: { item: string; detail?: string }[] } | null;
  rating: { grade: number; comment: string | null } | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ResidentSummary {
  id: string;
  name: string;
  idNumberMasked: string;
  sex: string;
  mobileMasked: string | null;
  regionCode: string;
  householdId: string | null;
  relationship: string | null;
}

export interface ResidentDetail {
  id: string;
  name: string;
  idNumber: string;
  idNumberMasked: string;
  birthDate: string;
  sex: string;
  mobile: string | null;
  regionCode: string;
  household: {
    householdNo: string;
    address: string;
    members: { id: string; name: string; idNumberMasked: string; relationship: string }[];
  } | null;
}

export interface Certificate {
  certificateNo: string;
  title: Bi;
  itemName: string;
  status: string;
  issuedAt: string;
  issuer: Unit;
  applicationNo?: string;
  holderName: string;
  idNumberMasked: string;
  fields?: { key: string; label: Bi; value: string }[];
}

export interface Notification {
  id: string;
  title?: string;
  body?: string;
  createdAt?: string;
  [k: string]: unknown;
}
