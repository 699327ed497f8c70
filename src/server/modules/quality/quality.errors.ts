import { defineErrors } from '../../platform/errors';

export const QualityErrors = defineErrors({
  MONTH_INVALID: {
    kind: 'bad_request',
    zh: '月份格式应为 YYYY-MM（收到“{value}”）',
    en: 'A month is written YYYY-MM (got "{value}")',
  },
  RANGE_INVALID: {
    kind: 'bad_request',
    zh: '起止月份无效：须 from ≤ to，且不超过 36 个月',
    en: 'Invalid range: from must not be after to, and at most 36 months',
  },
  DEPARTMENT_NOT_FOUND: {
    kind: 'not_found',
    zh: '部门 {department} 不存在',
    en: 'Department {department} not found',
  },
});
