import { defineErrors } from '../../platform/errors';

export const MeasureErrors = defineErrors({
  MEASURE_INVALID: {
    kind: 'unprocessable',
    zh: '措施不符合要求：{first}',
    en: 'The measure is refused: {firstEn}',
  },
  MEASURE_EXISTS: { kind: 'conflict', zh: '措施 {code} 已存在', en: 'Measure {code} already exists' },
  MEASURE_NOT_FOUND: { kind: 'not_found', zh: '措施 {code} 不存在', en: 'No measure {code}' },
  SCENARIO_UNKNOWN: {
    kind: 'bad_request',
    zh: '场景 {scenario} 不存在',
    en: 'Unknown scenario {scenario}',
  },
  SCENARIO_EXISTS: { kind: 'conflict', zh: '场景 {code} 已存在', en: 'Scenario {code} already exists' },
  CHECK_SUBJECT_UNKNOWN: {
    kind: 'not_found',
    zh: '未找到主体 {code}（或该时点尚未登记）',
    en: 'No subject {code} (or not registered at that instant)',
  },
  BATCH_TOO_LARGE: {
    kind: 'too_large',
    zh: '批量核查最多 {max} 个主体',
    en: 'A batch check takes at most {max} subjects',
  },
  CHECK_NOT_FOUND: { kind: 'not_found', zh: '核查 {check} 不存在', en: 'No check {check}' },
  FEEDBACK_MEASURE_NOT_IN_CHECK: {
    kind: 'bad_request',
    zh: '措施 {measure} 不在该次核查结果中',
    en: 'Measure {measure} was not in the result of this check',
  },
  FEEDBACK_SUBJECT_REQUIRED: {
    kind: 'bad_request',
    zh: '批量核查的反馈须注明主体',
    en: 'Feedback on a batch check must name the subject',
  },
  FEEDBACK_SUBJECT_MISMATCH: {
    kind: 'bad_request',
    zh: '主体 {code} 不是该次核查的主体',
    en: 'Subject {code} was not the subject of this check',
  },
  FEEDBACK_SUBJECT_NOT_IN_BATCH: {
    kind: 'bad_request',
    zh: '主体 {code} 不在该次批量核查的主体中',
    en: 'Subject {code} was not in this batch check',
  },
  FEEDBACK_MEASURE_NOT_FOR_SUBJECT: {
    kind: 'bad_request',
    zh: '该次核查中措施 {measure} 不适用于主体 {code}',
    en: 'In this check, measure {measure} did not apply to subject {code}',
  },
  FEEDBACK_EXISTS: {
    kind: 'conflict',
    zh: '该次核查的措施 {measure} 已反馈',
    en: 'Feedback on measure {measure} for this check was already given',
  },
  FEEDBACK_NOT_OWN_CHECK: {
    kind: 'forbidden',
    zh: '只能反馈本部门的核查',
    en: 'You can only report back on your own department’s checks',
  },
});
