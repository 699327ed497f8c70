import type { Role } from '../../api/types';
import type { Msg } from '../../i18n/lang';

export const ROLES: readonly Role[] = [
  'platform_admin',
  'dept_officer',
  'dept_reviewer',
  'auditor',
  'subject',
];

export const ROLE_LABELS: Record<Role, Msg> = {
  platform_admin: { zh: '平台管理员', en: 'Platform administrator' },
  dept_officer: { zh: '部门数据专员', en: 'Department data officer' },
  dept_reviewer: { zh: '部门审核员', en: 'Department reviewer' },
  auditor: { zh: '审计员', en: 'Auditor' },
  subject: { zh: '信用主体', en: 'Credit subject' },
};

/** Roles that sign in with a one-time code as well as the password (server: TOTP_REQUIRED_ROLES). */
export const SECOND_FACTOR_ROLES: readonly Role[] = ['platform_admin', 'dept_reviewer', 'auditor'];
