import { defineErrors } from '../../platform/errors';

export const RecordErrors = defineErrors({
  RECORD_NOT_FOUND: {
    kind: 'not_found',
    zh: '信用记录 {record} 不存在',
    en: 'Credit record {record} not found',
  },
  CATALOG_ITEM_UNKNOWN: {
    kind: 'bad_request',
    zh: '目录中没有事项 {item}，目录外信息不得归集',
    en: 'No catalogue item {item}; information outside the catalogue cannot be collected',
  },
  CATALOG_ITEM_RETIRED: {
    kind: 'bad_request',
    zh: '目录事项 {item} 已停用',
    en: 'Catalogue item {item} is retired',
  },
  DEPARTMENT_NOT_PROVIDER: {
    kind: 'forbidden',
    zh: '本部门不是目录事项 {item} 的提供部门',
    en: 'Your department is not a provider of catalogue item {item}',
  },
  DEPARTMENT_REQUIRED: {
    kind: 'bad_request',
    zh: '必须指明提供部门（departmentId）',
    en: 'The providing department (departmentId) is required',
  },
  PAYLOAD_INVALID: {
    kind: 'bad_request',
    zh: '记录内容不符合目录事项要求：{first}',
    en: 'The record does not match its catalogue item: {firstEn}',
  },
  DATE_IN_FUTURE: {
    kind: 'bad_request',
    zh: '{label}（{date}）晚于今天',
    en: '{labelEn} ({date}) is in the future',
  },
  SUBJECT_CODE_REQUIRED: {
    kind: 'bad_request',
    zh: '缺少行政相对人的统一社会信用代码或身份证号码',
    en: "The subject's USCC or citizen ID number is missing",
  },
  SUBJECT_TYPE_NOT_APPLICABLE: {
    kind: 'bad_request',
    zh: '目录事项 {item} 不适用于主体类型 {type}',
    en: 'Catalogue item {item} does not apply to subjects of type {type}',
  },
  RECORD_WITHDRAWN: {
    kind: 'conflict',
    zh: '文书号 {docNo} 的记录已撤回，不能再次提交',
    en: 'The record with document number {docNo} was withdrawn and cannot be resubmitted',
  },
  RECORD_STOPPED: { kind: 'conflict', zh: '记录已停止公示', en: 'The record has already been stopped' },
  NOT_OWN_RECORD: {
    kind: 'forbidden',
    zh: '只能更正或撤回本部门提供的记录',
    en: 'You can only correct or withdraw records your department provided',
  },
  NO_CHANGE: { kind: 'bad_request', zh: '更正内容与当前版本相同', en: 'The correction changes nothing' },
});
