import { maskCitizenId } from '../../../domain/identifiers/citizen-id';
import type { ProfileCategory, PublicProfile, PublicRecord } from '../../api/types';
import { type Msg, codeText } from '../../i18n/lang';

/**
 * ID numbers are masked by the server; the page masks again anything that arrives unmasked so a
 * server bug cannot put a full ID number on a public page.
 */
export function displayMaskedId(value: string | null | undefined): string | null {
  if (!value) return null;
  const v = value.trim();
  if (v.includes('*')) return v;
  return maskCitizenId(v);
}

export interface IdentityRow {
  key: string;
  label: Msg;
  value: string;
  masked?: boolean;
}

const L = {
  name: { zh: '名称', en: 'Name' },
  personName: { zh: '姓名', en: 'Name' },
  type: { zh: '主体类型', en: 'Subject type' },
  uscc: { zh: '统一社会信用代码', en: 'Unified social credit code' },
  orgCode: { zh: '组织机构代码', en: 'Organisation code' },
  idNo: { zh: '身份证号码', en: 'ID number' },
  legalRep: { zh: '法定代表人', en: 'Legal representative' },
  region: { zh: '所在地区', en: 'Region' },
  status: { zh: '登记状态', en: 'Registration status' },
  established: { zh: '成立日期', en: 'Established' },
  formerNames: { zh: '曾用名', en: 'Former names' },
} satisfies Record<string, Msg>;

const STATUS: Record<string, Msg> = {
  active: { zh: '存续', en: 'Active' },
  deregistered: { zh: '注销', en: 'Deregistered' },
  revoked: { zh: '吊销', en: 'Revoked' },
  cancelled: { zh: '撤销', en: 'Cancelled' },
};

export function statusLabel(status: string): Msg {
  return codeText(STATUS, status);
}

/** The identity block: what a credit profile shows about who the subject is, nothing more. */
export function identityRows(s: PublicProfile['subject'], lang: 'zh-CN' | 'en'): IdentityRow[] {
  const person = s.type === 'NATURAL_PERSON';
  const rows: IdentityRow[] = [];
  const add = (key: string, label: Msg, value: string | null | undefined, masked = false) => {
    if (value) rows.push({ key, label, value, ...(masked ? { masked } : {}) });
  };
  add('name', person ? L.personName : L.name, s.name);
  add('type', L.type, lang === 'en' ? s.typeLabel.en : s.typeLabel.zh);
  add('uscc', L.uscc, s.uscc);
  add('orgCode', L.orgCode, s.orgCode);
  add('idNo', L.idNo, displayMaskedId(s.idMasked), true);
  if (!person) add('legalRep', L.legalRep, s.legalRep);
  add('region', L.region, s.regionName ?? s.region);
  if (!person) {
    const st = statusLabel(s.status);
    add('status', L.status, lang === 'en' ? st.en : st.zh);
  }
  add('established', L.established, s.establishedOn);
  if (s.formerNames.length)
    add('formerNames', L.formerNames, s.formerNames.join(lang === 'en' ? '; ' : '；'));
  return rows;
}

/**
 * 行政许可 and 行政处罚 (the 双公示 items, national codes XZXK / XZCF) get a tab each, always, so
 * "nothing disclosed" is visible for them; they sit inside the catalogue category 行政管理信息.
 */
export const SHUANG_GONGSHI_TABS = [
  { item: 'XZXK', nameZh: '行政许可', nameEn: 'Administrative licences' },
  { item: 'XZCF', nameZh: '行政处罚', nameEn: 'Administrative penalties' },
] as const;

export interface ProfileTab {
  key: string;
  nameZh: string;
  nameEn: string;
  records: PublicRecord[];
}

/**
 * The tabs of a profile: 行政许可 and 行政处罚 first, then every other catalogue category that has
 * disclosed records (in the server's catalogue order), without the records already in the first two.
 */
export function profileTabs(categories: readonly ProfileCategory[]): ProfileTab[] {
  const split = new Set<string>(SHUANG_GONGSHI_TABS.map((s) => s.item));
  const all = categories.flatMap((c) => c.records);
  const tabs: ProfileTab[] = SHUANG_GONGSHI_TABS.map((s) => ({
    key: `item-${s.item}`,
    nameZh: s.nameZh,
    nameEn: s.nameEn,
    records: all.filter((r) => r.item.code === s.item),
  }));
  for (const c of categories) {
    const rest = c.records.filter((r) => !split.has(r.item.code));
    if (rest.length) tabs.push({ key: c.code, nameZh: c.nameZh, nameEn: c.nameEn, records: rest });
  }
  return tabs;
}
