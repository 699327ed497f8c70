import { Type } from 'typebox';
import { Nullable } from '../../platform/schema';

const Ratio = Nullable(Type.Number(), {
  description: '0–1；无数据时为 null / 0–1, null without data',
});

export const ScorecardQuery = Type.Object({
  department: Type.Optional(
    Type.String({
      maxLength: 32,
      description: '部门编号或统一社会信用代码（平台管理员）/ department id or USCC (admin)',
    }),
  ),
  from: Type.Optional(
    Type.String({ description: 'YYYY-MM（默认 to 之前 11 个月）/ YYYY-MM (default: 11 months before to)' }),
  ),
  to: Type.Optional(Type.String({ description: 'YYYY-MM（默认本月）/ YYYY-MM (default: this month)' })),
});

export const ScorecardSchema = Type.Object({
  from: Type.String(),
  to: Type.String(),
  items: Type.Array(
    Type.Object({
      departmentId: Type.Integer(),
      departmentName: Type.String(),
      departmentNameEn: Nullable(
        Type.String({ description: '部门英文名称（未登记时为 null）/ English name, null when none' }),
      ),
      month: Type.String(),
      volume: Type.Integer({ description: '新增记录数 / records created' }),
      rows: Type.Integer({ description: '批次中提交的行数 / rows submitted in batches' }),
      timeliness: Type.Object({ ratio: Ratio, onTime: Type.Integer(), total: Type.Integer() }),
      completeness: Type.Object({ ratio: Ratio, filled: Type.Integer(), expected: Type.Integer() }),
      validity: Type.Object({ ratio: Ratio, accepted: Type.Integer(), submitted: Type.Integer() }),
      consistency: Type.Object({
        ratio: Ratio,
        mismatches: Type.Integer(),
        checked: Type.Integer(),
        subjectsRegistered: Type.Integer(),
      }),
      corrections: Type.Integer(),
      withdrawals: Type.Integer(),
      score: Nullable(Type.Number()),
    }),
  ),
});
