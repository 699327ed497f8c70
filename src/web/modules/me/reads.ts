import { type Msg, codeText } from '../../i18n/lang';

/** A read of the subject's non-public data, as `GET /api/v1/me/reads` gives it. */
export interface ReadView {
  seq: number;
  at: string;
  type: string;
  who: {
    kind: string;
    name: string | null;
    department: string | null;
    /** The department's English name, null when it has none. */
    departmentEn?: string | null;
    via?: 'webhook';
  };
  purpose: string | null;
  /** A joint check's scenario by name (its code is in `purpose`). */
  scenario?: { code: string; nameZh: string; nameEn: string };
  fields: string[];
  recordIds: number[];
}

const TYPE_TEXT: Record<string, Msg> = {
  'data.read': { zh: '查阅非公开信息', en: 'Read non-public data' },
  'subject.identifier_read': { zh: '查看完整证件号码', en: 'Viewed the full ID number' },
  'check.performed': { zh: '联合奖惩核查', en: 'Joint reward/punishment check' },
  'check.batch_performed': { zh: '联合奖惩核查（批量）', en: 'Joint reward/punishment check (batch)' },
  'list_entries.viewed': { zh: '查看名单记录', en: 'Viewed list entries' },
};

/** What kind of read an event is, in words (the event type when unknown). */
export function readTypeText(type: string): Msg {
  return codeText(TYPE_TEXT, type);
}

const WHO_KIND: Record<string, Msg> = {
  user: { zh: '工作人员', en: 'Staff' },
  apikey: { zh: '接口（部门系统）', en: 'API (department system)' },
  system: { zh: '平台', en: 'Platform' },
};

/** Who read, in words: the reader's kind (a person, a department's system, the platform). */
export function readerKindText(kind: string): Msg {
  return codeText(WHO_KIND, kind);
}

/** A joint check states its scenario as its purpose (`check:<scenario>`). */
export function purposeText(purpose: string | null): { scenario: string } | { text: string } | null {
  if (purpose === null || purpose === '') return null;
  return purpose.startsWith('check:') ? { scenario: purpose.slice('check:'.length) } : { text: purpose };
}

const FIELD_TEXT: Record<string, Msg> = {
  shared: { zh: '共享级字段', en: 'shared fields' },
  internal: { zh: '内部字段', en: 'internal fields' },
  list_entry: { zh: '名单记录', en: 'list entry' },
  repair_application: { zh: '修复申请', en: 'repair application' },
  objection: { zh: '异议', en: 'objection' },
  evidence_file: { zh: '证明材料', en: 'evidence file' },
  event_payload: { zh: '事件内容', en: 'event content' },
  upload_row: { zh: '部门报送的原始数据行', en: 'rows as a department uploaded them' },
};

/** What was read, in words: a level or kind of data; a field code stays as it is. */
export function fieldText(field: string): Msg {
  return codeText(FIELD_TEXT, field);
}
