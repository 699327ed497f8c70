import { defineErrors } from '../../platform/errors';

export const AccountErrors = defineErrors({
  LOGIN_FAILED: { kind: 'unauthenticated', zh: '用户名或密码错误', en: 'Wrong username or password' },
  SESSION_INVALID: {
    kind: 'unauthenticated',
    zh: '会话已失效，请重新登录',
    en: 'Session expired; log in again',
  },
  API_KEY_INVALID: {
    kind: 'unauthenticated',
    zh: 'API 密钥无效、已吊销或已过期',
    en: 'API key invalid, revoked or expired',
  },
  PASSWORD_WEAK: {
    kind: 'bad_request',
    zh: '密码至少 10 位，且须同时包含字母和数字',
    en: 'Password must be at least 10 characters with letters and digits',
  },
  USERNAME_TAKEN: { kind: 'conflict', zh: '用户名 {username} 已存在', en: 'Username {username} is taken' },
  DEPARTMENT_EXISTS: {
    kind: 'conflict',
    zh: '统一社会信用代码为 {uscc} 的部门已存在',
    en: 'A department with USCC {uscc} already exists',
  },
  DEPARTMENT_NOT_FOUND: {
    kind: 'not_found',
    zh: '部门 {department} 不存在',
    en: 'Department {department} not found',
  },
  DEPARTMENT_REQUIRED: {
    kind: 'bad_request',
    zh: '部门数据员和部门审核员必须属于一个部门',
    en: 'Department officers and reviewers must belong to a department',
  },
  INVALID_USCC: { kind: 'bad_request', zh: '统一社会信用代码无效：{reason}', en: 'Invalid USCC: {reason}' },
  INVALID_REGION: {
    kind: 'bad_request',
    zh: '行政区划代码 {region} 不存在',
    en: 'Unknown administrative division code {region}',
  },
  SUBJECT_ACCOUNT_INVALID: {
    kind: 'bad_request',
    zh: '主体账号必须且只能关联一个已登记的主体（角色 subject 与 subjectId 同时提供）',
    en: 'A subject account must name one registered subject (role subject together with subjectId)',
  },
  TOTP_REQUIRED: {
    kind: 'unauthenticated',
    zh: '需要动态口令（TOTP）；未绑定的账号请先通过 /api/v1/auth/totp/enrol 绑定',
    en: 'A one-time code (TOTP) is required; accounts without one enrol at /api/v1/auth/totp/enrol',
  },
  TOTP_INVALID: { kind: 'unauthenticated', zh: '动态口令错误或已过期', en: 'Wrong or expired one-time code' },
  TOTP_SECRET_INVALID: {
    kind: 'bad_request',
    zh: 'TOTP 密钥应为 base32 编码',
    en: 'The TOTP secret must be base32',
  },
  LOGIN_LOCKED: {
    kind: 'rate_limited',
    zh: '登录失败次数过多，请 {retryAfter} 秒后再试',
    en: 'Too many failed logins; retry in {retryAfter} s',
  },
  USER_NOT_FOUND: { kind: 'not_found', zh: '用户 {user} 不存在', en: 'User {user} not found' },
  API_KEY_NOT_FOUND: { kind: 'not_found', zh: 'API 密钥 {key} 不存在', en: 'API key {key} not found' },
});
