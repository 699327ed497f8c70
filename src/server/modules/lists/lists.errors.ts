import { defineErrors } from '../../platform/errors';

export const ListErrors = defineErrors({
  LIST_TYPE_INVALID: {
    kind: 'unprocessable',
    zh: '名单类型定义不合法：{first}',
    en: 'Invalid list type definition: {firstEn}',
  },
  LIST_TYPE_EXISTS: { kind: 'conflict', zh: '名单类型 {code} 已存在', en: 'List type {code} already exists' },
  LIST_TYPE_NOT_FOUND: { kind: 'not_found', zh: '名单类型 {code} 不存在', en: 'No list type {code}' },
  LIST_KIND_CHANGED: {
    kind: 'unprocessable',
    zh: '名单种类不能变更（{from} → {to}），请新设名单类型',
    en: 'A list type keeps its kind ({from} → {to}); create a new list type instead',
  },
  LIST_TYPE_NOT_ACCEPTING: {
    kind: 'conflict',
    zh: '名单 {code} 当前状态为 {status}，不接受新的列入',
    en: 'List {code} is {status} and takes no new entries',
  },
  ENTRY_NOT_FOUND: { kind: 'not_found', zh: '名单记录 {entry} 不存在', en: 'No list entry {entry}' },
  FACTS_REQUIRED: {
    kind: 'bad_request',
    zh: '列入建议必须引用认定失信事实的信用记录或文书',
    en: 'A proposal must cite the records or documents that establish the facts',
  },
  FACT_RECORD_NOT_FOUND: {
    kind: 'bad_request',
    zh: '信用记录 {record} 不存在',
    en: 'Credit record {record} not found',
  },
  FACT_RECORD_OTHER_SUBJECT: {
    kind: 'bad_request',
    zh: '信用记录 {record} 不属于该主体',
    en: 'Credit record {record} is not about this subject',
  },
  FACT_RECORD_WITHDRAWN: {
    kind: 'bad_request',
    zh: '信用记录 {record} 已撤回，不能作为列入依据',
    en: 'Credit record {record} was withdrawn and cannot support a listing',
  },
  DUPLICATE_ENTRY: {
    kind: 'conflict',
    zh: '该主体已因相同事实在名单 {code} 中有待决或有效的记录（{entry}）',
    en: 'The subject already has a pending or active entry ({entry}) on list {code} for the same facts',
  },
  FACTS_ALREADY_USED: {
    kind: 'conflict',
    zh: '所引用的事实已是名单 {code} 记录 {entry} 的列入依据，该记录已于 {endedOn} 结束；再次列入须有新的失信事实',
    en: 'The facts cited were already the basis of entry {entry} on list {code}, which ended on {endedOn}; a new listing needs new facts',
  },
  PARTY_NOT_REGISTERED: {
    kind: 'bad_request',
    zh: '关联主体 {code} 未登记；关联主体须以代码关联，不能仅凭姓名',
    en: 'Related party {code} is not registered; parties are linked by code, never by name alone',
  },
  PARTY_ROLE_MISMATCH: {
    kind: 'bad_request',
    zh: '关联主体 {code} 是{typeZh}，不能作为{roleZh}（法定代表人、主要负责人、直接责任人员须为自然人，关联主体须为组织）',
    en: 'Related party {code} is a {typeEn} and cannot be the {roleEn} (legal representatives and responsible persons are natural persons; affiliates are organisations)',
  },
  PARTY_IS_SUBJECT: {
    kind: 'bad_request',
    zh: '关联主体不能是被列入主体本身',
    en: 'A related party cannot be the listed subject itself',
  },
  WRONG_STAGE: {
    kind: 'conflict',
    zh: '名单记录当前处于“{stage}”阶段，不能执行此步骤',
    en: 'The entry is at stage "{stage}"; this step is not possible',
  },
  NOT_OWN_DEPARTMENT: {
    kind: 'forbidden',
    zh: '只能办理本部门提出的名单记录',
    en: 'You can only act on entries your department proposed',
  },
  NOT_LISTING_AUTHORITY: {
    kind: 'forbidden',
    zh: '本部门不是名单 {code} 的认定部门（认定部门：{departments}），不能提出或决定该名单的列入',
    en: 'Your department is not a listing authority of list {code} (authorities: {departmentsEn}); it cannot propose or decide entries on it',
  },
  DEPARTMENT_UNKNOWN: {
    kind: 'bad_request',
    zh: '部门 {department} 不存在',
    en: 'No department {department}',
  },
  DEPARTMENT_REQUIRED: {
    kind: 'forbidden',
    zh: '列入程序须由认定部门的账户办理',
    en: 'The listing procedure is carried out by an account of the deciding department',
  },
  NOTIFIED_ON_INVALID: {
    kind: 'bad_request',
    zh: '送达日期 {date} 不能早于建议日期或晚于今天',
    en: 'The notification date {date} must be between the proposal and today',
  },
  STATEMENT_PERIOD_OPEN: {
    kind: 'conflict',
    zh: '陈述申辩期至 {deadline} 届满，期满前不能作出决定（当事人已陈述或放弃的除外）',
    en: 'The statement period runs until {deadline}; no decision before it ends unless the subject has made its statement or waived it',
  },
  STATEMENT_PERIOD_OVER: {
    kind: 'conflict',
    zh: '陈述申辩期已于 {deadline} 届满',
    en: 'The statement period ended on {deadline}',
  },
  STATEMENT_ALREADY_MADE: {
    kind: 'conflict',
    zh: '当事人已陈述申辩或已放弃',
    en: 'The subject has already made its statement or waived it',
  },
  STATEMENT_EMPTY: {
    kind: 'bad_request',
    zh: '请填写陈述申辩内容，或声明放弃',
    en: 'Give the statement, or declare that it is waived',
  },
  WAIVER_DOC_REQUIRED: {
    kind: 'bad_request',
    zh: '代当事人登记放弃陈述申辩，须引用当事人签署的放弃陈述申辩书文号（waiverDocNo）；当事人也可通过本人账户自行放弃',
    en: 'A waiver recorded for the subject must cite the waiver the subject signed (waiverDocNo); the subject can also waive through its own account',
  },
  FIELD_BLANK: {
    kind: 'bad_request',
    zh: '{label}不能为空或只含空白字符',
    en: '{labelEn} must not be empty or blank',
  },
  NOT_FOR_SUBJECT: {
    kind: 'forbidden',
    zh: '只能由当事人（或代为办理的审核人员、接口）提交陈述申辩',
    en: 'Only the subject (or a reviewer or system acting for it) can submit its statement',
  },
  PERIOD_NOT_ALLOWED: {
    kind: 'bad_request',
    zh: '名单 {code} 不允许 {months} 个月的期限',
    en: 'List {code} does not allow a period of {months} months',
  },
  NOT_ACTIVE: {
    kind: 'conflict',
    zh: '名单记录 {entry} 当前不在名单上',
    en: 'Entry {entry} is not on the list now',
  },
  EARLY_EXIT_NOT_ALLOWED: {
    kind: 'conflict',
    zh: '名单 {code} 未规定提前退出',
    en: 'List {code} provides no early exit',
  },
  EARLY_EXIT_TOO_SOON: {
    kind: 'conflict',
    zh: '最早可于 {earliest} 提前退出',
    en: 'Early exit is possible from {earliest}',
  },
});
