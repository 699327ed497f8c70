import { type Msg, codeText } from '../i18n/lang';

/** Lifecycle states of accounts, departments and list types (migrations 0002, 0010), as the console shows them. */
const STATUS_LABELS: Record<string, Msg> = {
  active: { zh: '启用', en: 'Active' },
  disabled: { zh: '停用', en: 'Disabled' },
  draft: { zh: '草稿', en: 'Draft' },
  suspended: { zh: '暂停', en: 'Suspended' },
  retired: { zh: '已废止', en: 'Retired' },
};

/** A status in both languages; an unknown one shows as it came. */
export function statusText(status: string): Msg {
  return codeText(STATUS_LABELS, status);
}

/** Tag colour of a status: green while in force, gold while a draft. */
export function statusTagColor(status: string): string | undefined {
  return status === 'active' ? 'green' : status === 'draft' ? 'gold' : undefined;
}
