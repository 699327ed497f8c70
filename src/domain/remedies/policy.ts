/**
 * The credit-repair and objection policy as data (REFERENCE §5): the working-day clocks, which
 * information is not repairable by rule, and the objection review period. A deployment edits it
 * (settings key `remedies.policy`); the default mirrors 国办发〔2025〕22号 / NDRC Order 36.
 */
import type { Bilingual } from '../i18n';
import { DEFAULT_PERIOD_POLICY, validatePolicy, type PeriodPolicy } from '../periods';

/** Records of `itemCode` whose field `field` contains any of `values` cannot be repaired. */
export interface NonRepairableValueRule {
  id: string;
  itemCode: string;
  field: string;
  values: string[];
  basis: Bilingual;
}

/** Every record of these catalogue items is non-repairable (a law or central policy says so). */
export interface NonRepairableItemRule {
  id: string;
  itemCodes: string[];
  basis: Bilingual;
}

export interface RepairPolicy {
  /** The platform forwards the application and answers the applicant within this many working days. */
  forwardDays: number;
  /** The deciding department decides within this many working days of receipt. */
  decideDays: number;
  /** One extension, with a reason, of this many working days after the decision deadline. */
  extensionDays: number;
  /** The provider answers an objection within this many working days. */
  objectionDays: number;
  /** Evidence file size limit in bytes (each). */
  maxFileBytes: number;
  /** Files per application (evidence and authorisation letter together). */
  maxFiles: number;
  nonRepairableItems: NonRepairableItemRule[];
  nonRepairableValues: NonRepairableValueRule[];
  periods: PeriodPolicy;
}

export const DEFAULT_REPAIR_POLICY: RepairPolicy = {
  forwardDays: 10,
  decideDays: 3,
  extensionDays: 3,
  objectionDays: 10,
  maxFileBytes: 10 * 1024 * 1024,
  maxFiles: 20,
  nonRepairableItems: [],
  nonRepairableValues: [
    {
      // SAMR Order 45 Art. 14 (REFERENCE §5.6): heavy penalties are never stopped early.
      id: 'SAMR45-HEAVY',
      itemCode: 'XZCF',
      field: 'CF_CFLB',
      values: [
        '责令停产停业',
        '限制开展生产经营活动',
        '责令关闭',
        '限制从业',
        '降低资质等级',
        '吊销许可证件',
        '吊销执照',
      ],
      basis: {
        zh: '《市场监督管理行政处罚信息公示规定》（国家市场监督管理总局令第45号）第十四条：责令停产停业、限制开展生产经营活动、限制从业、降低资质等级、吊销许可证件或营业执照等较重处罚（含责令关闭）信息不得提前停止公示',
        en: 'SAMR Order 45 Art. 14: heavy penalties (suspension, restriction of business or practice, downgrading, revocation of licence or business licence and the like, closure included) are never stopped early',
      },
    },
  ],
  periods: DEFAULT_PERIOD_POLICY,
};

/** Problems with a policy an administrator submits; empty when it can be used. */
export function checkRepairPolicy(p: RepairPolicy): string[] {
  const problems: string[] = [];
  const int = (name: keyof RepairPolicy, min: number, max: number) => {
    const v = p[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
      problems.push(`${name} must be an integer in ${min}..${max}`);
  };
  int('forwardDays', 1, 60);
  int('decideDays', 1, 60);
  int('extensionDays', 0, 60);
  int('objectionDays', 1, 60);
  int('maxFileBytes', 1024, 100 * 1024 * 1024);
  int('maxFiles', 1, 100);
  const ids = new Set<string>();
  for (const r of [...p.nonRepairableItems, ...p.nonRepairableValues]) {
    if (!r.id || ids.has(r.id)) problems.push(`rule id ${r.id || '(empty)'} is empty or repeated`);
    ids.add(r.id);
    if (!r.basis?.zh?.trim() || !r.basis?.en?.trim())
      problems.push(`rule ${r.id}: basis (zh and en) is required`);
  }
  for (const r of p.nonRepairableValues)
    if (!r.itemCode || !r.field || !r.values.length)
      problems.push(`rule ${r.id}: itemCode, field and values are required`);
  for (const r of p.nonRepairableItems)
    if (!r.itemCodes.length) problems.push(`rule ${r.id}: itemCodes is empty`);
  // The minimum periods decide eligibility: a malformed period policy would make every check fail.
  const periods: unknown = p.periods;
  if (typeof periods !== 'object' || periods === null || Array.isArray(periods))
    problems.push('periods must be a period policy object (id, label, classes)');
  else if (
    typeof (periods as { classes?: unknown }).classes !== 'object' ||
    !(periods as { classes?: unknown }).classes
  )
    problems.push('periods.classes is required (MINOR, GENERAL, SERIOUS)');
  else problems.push(...validatePolicy(p.periods).map((m) => `periods: ${m}`));
  return problems;
}
