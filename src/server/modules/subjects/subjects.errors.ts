import { defineErrors } from '../../platform/errors';

export const SubjectErrors = defineErrors({
  INVALID_IDENTIFIER: {
    kind: 'bad_request',
    zh: '{label}无效：{reason}',
    en: 'Invalid {labelEn}: {reasonEn}',
  },
  IDENTIFIER_REQUIRED: {
    kind: 'bad_request',
    zh: '必须提供统一社会信用代码（自然人为身份证号码）',
    en: 'A USCC (for natural persons, a citizen ID number) is required',
  },
  TYPE_MISMATCH: {
    kind: 'bad_request',
    zh: '主体类型 {type} 与统一社会信用代码所示类型 {derived} 不符',
    en: 'Subject type {type} does not match the type {derived} encoded in the USCC',
  },
  SUBJECT_EXISTS: {
    kind: 'conflict',
    zh: '主体已登记（{code}）',
    en: 'The subject is already registered ({code})',
  },
  SUBJECT_NOT_FOUND: { kind: 'not_found', zh: '未找到主体 {code}', en: 'No subject {code}' },
  NAME_MISMATCH: {
    kind: 'unprocessable',
    zh: '名称“{given}”与登记名称“{registered}”不一致',
    en: 'Name "{given}" does not match the registered name "{registered}"',
  },
  QUERY_TOO_SHORT: {
    kind: 'bad_request',
    zh: '请输入至少 2 个汉字或 2 个字母',
    en: 'Enter at least 2 Chinese characters or 2 letters',
  },
  UNKNOWN_CATEGORY: {
    kind: 'bad_request',
    zh: '目录类别 {category} 不存在',
    en: 'Unknown catalogue category {category}',
  },
  INVALID_REGION: {
    kind: 'bad_request',
    zh: '行政区划代码 {region} 不存在',
    en: 'Unknown division code {region}',
  },
});
