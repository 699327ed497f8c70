import { defineErrors } from '../../platform/errors';

export const RemedyErrors = defineErrors({
  NOT_SUBJECT_ACCOUNT: {
    kind: 'forbidden',
    zh: '只有信用主体本人的账号（或持授权委托书的代理人）可以申请信用修复或提出异议',
    en: "Only the subject's own account (or an agent with an authorisation letter) can apply for repair or object",
  },
  NOT_THE_SUBJECT: {
    kind: 'forbidden',
    zh: '该信息不属于您的主体；代他人申请须以代理人身份提交并上传授权委托书',
    en: 'This information is not about your subject; to act for another subject apply as an agent and upload an authorisation letter',
  },
  TARGET_REQUIRED: {
    kind: 'bad_request',
    zh: '须指明一条信用记录（recordId）或一条名单记录（entryId），且只能指明一条',
    en: 'Name exactly one credit record (recordId) or one list entry (entryId)',
  },
  RECORD_NOT_FOUND: {
    kind: 'not_found',
    zh: '信用记录 {record} 不存在',
    en: 'Credit record {record} not found',
  },
  ENTRY_NOT_FOUND: { kind: 'not_found', zh: '名单记录 {entry} 不存在', en: 'List entry {entry} not found' },
  REPAIR_TOO_EARLY: {
    kind: 'unprocessable',
    zh: '未满最短公示期，自 {from} 起可申请信用修复',
    en: 'The minimum disclosure period has not passed; you can apply from {from}',
  },
  NOT_REPAIRABLE: {
    kind: 'unprocessable',
    zh: '该信息依规定不予修复（{rule}）：{basis}',
    en: 'This information cannot be repaired by rule ({rule}): {basisEn}',
  },
  NOTHING_TO_REPAIR: {
    kind: 'unprocessable',
    zh: '无需修复：{state}',
    en: 'Nothing to repair: {stateEn}',
  },
  APPLICATION_EXISTS: {
    kind: 'conflict',
    zh: '该信息已有正在办理的修复申请（{application}）',
    en: 'An application for this information is already in progress ({application})',
  },
  APPLICATION_NOT_FOUND: {
    kind: 'not_found',
    zh: '修复申请 {application} 不存在',
    en: 'Repair application {application} not found',
  },
  WRONG_STAGE: {
    kind: 'conflict',
    zh: '申请当前状态为“{status}”，不能{action}',
    en: 'The application is {status}; it cannot be {actionEn}',
  },
  COMMITMENT_REQUIRED: {
    kind: 'unprocessable',
    zh: '提交前须阅读并接受信用修复承诺书（acceptCommitment=true）',
    en: 'Read and accept the commitment letter before submitting (acceptCommitment=true)',
  },
  COMMITMENT_MISMATCH: {
    kind: 'conflict',
    zh: '接受的承诺书与生成的承诺书不一致，请重新阅读后提交',
    en: 'The commitment accepted is not the one generated; read it again and resubmit',
  },
  AUTHORISATION_REQUIRED: {
    kind: 'unprocessable',
    zh: '代理人申请须上传授权委托书（kind=authorisation）',
    en: 'An agent must upload the authorisation letter (kind=authorisation)',
  },
  EVIDENCE_REQUIRED: {
    kind: 'unprocessable',
    zh: '请上传已履行法定义务、纠正失信行为的证明材料',
    en: 'Upload evidence that the obligations were fulfilled and the conduct corrected',
  },
  FILE_TOO_LARGE: {
    kind: 'too_large',
    zh: '文件“{filename}”超过大小限制（每个文件不超过 {limitText}）',
    en: 'File "{filename}" is larger than allowed ({limitText} per file)',
  },
  FILE_EXECUTABLE: {
    kind: 'unprocessable',
    zh: '文件“{filename}”是可执行程序或脚本（{kind}），不予接收',
    en: 'File "{filename}" is an executable or script ({kind}) and is refused',
  },
  FILE_TYPE_NOT_ALLOWED: {
    kind: 'unprocessable',
    zh: '文件“{filename}”不是 PDF、JPG 或 PNG（按文件内容判断）',
    en: 'File "{filename}" is not a PDF, JPG or PNG (judged by its content)',
  },
  FILE_EMPTY: { kind: 'bad_request', zh: '文件“{filename}”为空', en: 'File "{filename}" is empty' },
  TOO_MANY_FILES: {
    kind: 'unprocessable',
    zh: '每份申请最多上传 {max} 个文件',
    en: 'An application takes at most {max} files',
  },
  FILE_KIND_INVALID: {
    kind: 'bad_request',
    zh: '文件类别（kind）应为 evidence 或 authorisation，并写在文件之前',
    en: 'The file kind must be evidence or authorisation, sent before the file',
  },
  UPLOAD_INCOMPLETE: {
    kind: 'bad_request',
    zh: '上传不完整（连接中断或请求体格式不正确），请重新上传',
    en: 'The upload is incomplete (connection cut or malformed body); upload again',
  },
  NO_FILE: { kind: 'bad_request', zh: '请求中没有文件', en: 'The request carries no file' },
  FILE_NOT_FOUND: { kind: 'not_found', zh: '文件 {file} 不存在', en: 'File {file} not found' },
  NOT_YOUR_DEPARTMENT: {
    kind: 'forbidden',
    zh: '该事项由 {department} 决定，您所在部门无权处理',
    en: 'This is decided by {department}; your department cannot handle it',
  },
  NOT_APPLICANT: { kind: 'forbidden', zh: '只有申请人可以执行此操作', en: 'Only the applicant can do this' },
  EXTENSION_USED: {
    kind: 'conflict',
    zh: '办理期限只能延长一次（已于 {at} 延长）',
    en: 'The deadline can be extended only once (it was on {at})',
  },
  EXTENSION_TOO_LATE: {
    kind: 'conflict',
    zh: '办理期限已于 {due} 届满，不能再延长；请作出决定并说明逾期原因',
    en: 'The deadline passed on {due}; it can no longer be extended. Decide and give the reason for the delay',
  },
  LATE_REASON_REQUIRED: {
    kind: 'unprocessable',
    zh: '已超过办理期限（{due}，逾期 {days} 个工作日），须填写逾期原因（lateReason）',
    en: 'The deadline ({due}) passed {days} working day(s) ago; give the reason for the delay (lateReason)',
  },
  QUERY_CODE_INVALID: {
    kind: 'bad_request',
    zh: '查询码格式不正确（形如 XY-XXXX-XXXX-XXXX-XXXX）',
    en: 'The query code is malformed (XY-XXXX-XXXX-XXXX-XXXX)',
  },
  QUERY_CODE_UNKNOWN: { kind: 'not_found', zh: '没有这个查询码', en: 'No application has this query code' },
  POLICY_INVALID: {
    kind: 'unprocessable',
    zh: '修复政策配置不合法：{first}',
    en: 'Invalid repair policy: {first}',
  },
  OBJECTION_NOT_FOUND: {
    kind: 'not_found',
    zh: '异议 {objection} 不存在',
    en: 'Objection {objection} not found',
  },
  OBJECTION_OPEN: {
    kind: 'conflict',
    zh: '该记录已有正在核查的异议（{objection}）',
    en: 'An objection to this record is already under review ({objection})',
  },
  OBJECTION_CLOSED: { kind: 'conflict', zh: '该异议已办结', en: 'The objection has already been resolved' },
  OBJECTION_APPLICATION_REQUIRED: {
    kind: 'bad_request',
    zh: '对修复决定提出异议须指明被驳回的修复申请（applicationId）',
    en: 'An objection to a repair decision must name the refused application (applicationId)',
  },
  OBJECTION_APPLICATION_INVALID: {
    kind: 'unprocessable',
    zh: '修复申请 {application} 不是本主体被驳回或不予受理的申请',
    en: 'Application {application} is not a refused or rejected application of this subject',
  },
  OBJECTION_OUTCOME_INVALID: {
    kind: 'bad_request',
    zh: '异议事由为“{ground}”时，处理结果不能为“{outcome}”',
    en: 'An objection on {ground} cannot end as {outcome}',
  },
  CORRECTION_REQUIRED: {
    kind: 'bad_request',
    zh: '更正须提供更正后的记录内容（correction.payload）',
    en: 'A correction needs the corrected record (correction.payload)',
  },
  CORRECTION_REJECTED: {
    kind: 'unprocessable',
    zh: '更正内容不符合目录要求：{first}',
    en: 'The correction does not match the catalogue item: {firstEn}',
  },
});
