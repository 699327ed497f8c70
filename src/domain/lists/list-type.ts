/**
 * List types (名单类型) as configuration, and the gate every list type passes before it is stored.
 *
 * 2025 opinion (十二): "确定严重失信主体名单的设列领域必须以法律、行政法规、地方性法规或党中央、
 * 国务院政策性文件为依据 … 行业主管部门应当以部门规章形式明确严重失信主体名单列入和退出的条件、程序".
 * 国办发〔2020〕49号 adds: state removal conditions and procedure at listing (REFERENCE §4.3, §6.1).
 * So a serious-dishonesty list type needs a basis of rank ≥ central policy document and published
 * entry and exit conditions; the software refuses anything else.
 */
import { RIGHTS_REDUCING_MIN_RANK, type LegalBasis, type LegalBasisRank } from '../catalog';
import type { Bilingual } from '../i18n';
import { parseLegalBases, rankShortfall, type LegalBasisInput } from './legal-basis';

export const LIST_KINDS = [
  'serious_dishonesty',
  'red',
  'key_attention',
  'business_abnormal',
  'public_institution_abnormal',
  'social_org_abnormal',
  'other',
] as const;
export type ListKind = (typeof LIST_KINDS)[number];

export const LIST_KIND_LABELS: Record<ListKind, Bilingual> = {
  serious_dishonesty: { zh: '严重失信主体名单', en: 'Serious-dishonesty list' },
  red: { zh: '守信激励（红名单）', en: 'Red list (trustworthy subjects)' },
  key_attention: { zh: '重点关注名单', en: 'Key-attention list' },
  business_abnormal: { zh: '经营异常名录', en: 'Business-abnormal list' },
  public_institution_abnormal: { zh: '事业单位异常名录', en: 'Public-institution abnormal list' },
  social_org_abnormal: { zh: '社会组织活动异常名录', en: 'Social-organisation abnormal list' },
  other: { zh: '其他名单', en: 'Other list' },
};

/** Kinds whose entries can trigger restrictions; a red list triggers only incentives. */
export function isRestrictiveKind(kind: ListKind): boolean {
  return kind !== 'red';
}

/**
 * How long an entry stays on the list, counted from the decision date.
 *  - fixed: `months` (the decision may set a longer period up to `maxMonths`, e.g. the court list's
 *    2 years + 1–3 years for violent obstruction);
 *  - until_performed: until the obligation is performed (ended by an exit decision), optionally
 *    capped at `maxMonths`;
 *  - indefinite: no end date, reviewed every `reviewMonths`.
 */
export type ListPeriod =
  | { kind: 'fixed'; months: number; maxMonths?: number }
  | { kind: 'until_performed'; maxMonths?: number }
  | { kind: 'indefinite'; reviewMonths: number };

export const LIST_PERIOD_KINDS = ['fixed', 'until_performed', 'indefinite'] as const;

export interface EarlyExit {
  /** Conditions for leaving before the period ends (published with the list). */
  conditions: Bilingual;
  /** Earliest early exit, in months after the entry takes effect (0 = any time). */
  minMonths: number;
}

export interface ListConditions {
  entry: Bilingual;
  exit: Bilingual;
  /** Where the conditions are published (instrument, article), e.g. a departmental rule. */
  publishedIn: string;
}

/**
 * draft: configured but not established (e.g. a domain the opinion adds before the department has
 * published entry and exit conditions) — takes no entries and triggers no measure; active: takes
 * entries; suspended: takes no new proposals, existing entries run on; retired: closed.
 */
export const LIST_TYPE_STATUSES = ['draft', 'active', 'suspended', 'retired'] as const;
export type ListTypeStatus = (typeof LIST_TYPE_STATUSES)[number];

export const BASIS_STATUSES = ['confirmed', 'to_be_confirmed'] as const;
export type BasisStatus = (typeof BASIS_STATUSES)[number];

/** A checked list type definition. */
export interface ListTypeDefinition {
  code: string;
  nameZh: string;
  nameEn: string;
  /** Domain (领域), e.g. 司法, 市场监管, 税务. */
  domain: string;
  kind: ListKind;
  /** Who decides entries (认定单位), in words; departments act through their accounts. */
  authority: Bilingual;
  legalBasis: LegalBasis[];
  /** `to_be_confirmed` marks bases not yet checked against the official text (opinion's new domains). */
  basisStatus: BasisStatus;
  conditions: ListConditions;
  period: ListPeriod;
  earlyExit: EarlyExit | null;
  /** Whether decided entries are published (公示). */
  public: boolean;
  /** Working days the subject has to state its case after notification (陈述申辩). */
  statementDays: number;
  status: ListTypeStatus;
}

/** The same shape as it arrives, before any value is trusted. */
export interface ListTypeInput {
  code?: string;
  nameZh?: string;
  nameEn?: string;
  domain?: string;
  kind?: string;
  authority?: Partial<Bilingual>;
  legalBasis?: readonly LegalBasisInput[];
  basisStatus?: string;
  conditions?: { entry?: Partial<Bilingual>; exit?: Partial<Bilingual>; publishedIn?: string };
  period?: { kind?: string; months?: number; maxMonths?: number; reviewMonths?: number };
  earlyExit?: { conditions?: Partial<Bilingual>; minMonths?: number } | null;
  public?: boolean;
  statementDays?: number;
  status?: string;
}

export type ListProblemCode =
  | 'CODE_INVALID'
  | 'NAME_REQUIRED'
  | 'DOMAIN_REQUIRED'
  | 'KIND_INVALID'
  | 'AUTHORITY_REQUIRED'
  | 'LEGAL_BASIS_REQUIRED'
  | 'LEGAL_BASIS_INVALID'
  | 'LEGAL_BASIS_RANK_TOO_LOW'
  | 'CONDITIONS_REQUIRED'
  | 'PERIOD_INVALID'
  | 'EARLY_EXIT_INVALID'
  | 'STATEMENT_DAYS_INVALID'
  | 'STATUS_INVALID';

export interface ListProblem {
  code: ListProblemCode;
  field: string;
  message: Bilingual;
}

export const LIST_CODE_PATTERN = /^[A-Z][A-Z0-9_]{1,39}$/;

/** The weakest basis that may found a serious-dishonesty list (opinion (十二), 49号). */
export const SERIOUS_LIST_MIN_RANK: LegalBasisRank = RIGHTS_REDUCING_MIN_RANK;

const MAX_MONTHS = 240;

function text(v: Partial<Bilingual> | undefined): Bilingual {
  return { zh: (v?.zh ?? '').trim(), en: (v?.en ?? '').trim() };
}

function isMonths(v: unknown, min: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= MAX_MONTHS;
}

function problem(code: ListProblemCode, field: string, zh: string, en: string): ListProblem {
  return { code, field, message: { zh, en } };
}

function checkPeriod(p: ListTypeInput['period'], out: ListProblem[]): ListPeriod | null {
  const bad = (zh: string, en: string) => {
    out.push(problem('PERIOD_INVALID', 'period', zh, en));
    return null;
  };
  if (!p) return bad('缺少名单期限规则', 'The list period is missing');
  switch (p.kind) {
    case 'fixed':
      if (!isMonths(p.months, 1))
        return bad('固定期限须为 1–240 个月', 'A fixed period must be 1–240 months');
      if (p.maxMonths !== undefined && (!isMonths(p.maxMonths, 1) || p.maxMonths < p.months))
        return bad('最长期限不得短于基本期限', 'The maximum period must not be shorter than the period');
      return {
        kind: 'fixed',
        months: p.months,
        ...(p.maxMonths !== undefined ? { maxMonths: p.maxMonths } : {}),
      };
    case 'until_performed':
      if (p.maxMonths !== undefined && !isMonths(p.maxMonths, 1))
        return bad('最长期限须为 1–240 个月', 'The maximum period must be 1–240 months');
      return { kind: 'until_performed', ...(p.maxMonths !== undefined ? { maxMonths: p.maxMonths } : {}) };
    case 'indefinite':
      if (!isMonths(p.reviewMonths, 1))
        return bad(
          '不定期名单须规定 1–240 个月的复核周期',
          'An indefinite list needs a review every 1–240 months',
        );
      return { kind: 'indefinite', reviewMonths: p.reviewMonths };
    default:
      return bad(
        `期限类型“${String(p.kind ?? '')}”无效（fixed、until_performed、indefinite）`,
        `Unknown period kind "${String(p.kind ?? '')}" (fixed, until_performed, indefinite)`,
      );
  }
}

/**
 * Every problem with a list type definition, each naming its field, in both languages. An empty
 * array means the definition may be stored.
 */
export function checkListType(input: ListTypeInput): ListProblem[] {
  const out: ListProblem[] = [];
  const code = (input.code ?? '').trim();
  if (!LIST_CODE_PATTERN.test(code))
    out.push(
      problem(
        'CODE_INVALID',
        'code',
        '编码须为 2–40 位大写字母、数字或下划线，以字母开头',
        'The code must be 2–40 upper-case letters, digits or underscores, starting with a letter',
      ),
    );
  if (!input.nameZh?.trim() || !input.nameEn?.trim())
    out.push(
      problem('NAME_REQUIRED', 'nameZh', '须有中英文名称', 'Names in Chinese and English are required'),
    );
  if (!input.domain?.trim())
    out.push(problem('DOMAIN_REQUIRED', 'domain', '须注明领域', 'The domain is required'));
  const kind = input.kind as ListKind;
  if (!(LIST_KINDS as readonly string[]).includes(kind ?? ''))
    out.push(
      problem(
        'KIND_INVALID',
        'kind',
        `名单种类“${String(input.kind ?? '')}”无效`,
        `Unknown list kind "${String(input.kind ?? '')}"`,
      ),
    );
  const authority = text(input.authority);
  if (!authority.zh || !authority.en)
    out.push(
      problem(
        'AUTHORITY_REQUIRED',
        'authority',
        '须注明认定单位',
        'The listing authority is required (zh and en)',
      ),
    );

  const { bases, problems: basisProblems } = parseLegalBases(input.legalBasis);
  out.push(...basisProblems);
  const min = kind === 'serious_dishonesty' ? rankShortfall(bases, SERIOUS_LIST_MIN_RANK) : null;
  if (!input.legalBasis?.length)
    out.push(
      problem('LEGAL_BASIS_REQUIRED', 'legalBasis', '名单必须有设列依据', 'A list must name its legal basis'),
    );
  else if (min) {
    out.push(
      problem(
        'LEGAL_BASIS_RANK_TOO_LOW',
        'legalBasis',
        `严重失信主体名单的设列依据须为法律、行政法规、地方性法规或党中央、国务院政策性文件（至少“${min.zh}”），现有依据位阶不足`,
        `A serious-dishonesty list needs a law, administrative regulation, local regulation or central policy document (at least "${min.en}"); the bases given rank lower`,
      ),
    );
  }
  const basisStatus = input.basisStatus ?? 'confirmed';
  if (!(BASIS_STATUSES as readonly string[]).includes(basisStatus))
    out.push(
      problem(
        'LEGAL_BASIS_INVALID',
        'basisStatus',
        '依据状态无效',
        'basisStatus must be confirmed or to_be_confirmed',
      ),
    );

  const entry = text(input.conditions?.entry);
  const exit = text(input.conditions?.exit);
  const publishedIn = (input.conditions?.publishedIn ?? '').trim();
  // A draft may wait for its conditions; nothing is listed on it until they are published.
  if (kind === 'serious_dishonesty' && input.status !== 'draft') {
    const missing = [
      !entry.zh || !entry.en ? { zh: '列入条件', en: 'entry conditions', field: 'conditions.entry' } : null,
      !exit.zh || !exit.en ? { zh: '退出条件', en: 'exit conditions', field: 'conditions.exit' } : null,
      !publishedIn
        ? { zh: '条件的公布文件', en: 'the instrument publishing them', field: 'conditions.publishedIn' }
        : null,
    ].filter((m) => m !== null);
    if (missing.length)
      out.push(
        problem(
          'CONDITIONS_REQUIRED',
          missing[0]?.field ?? 'conditions',
          `严重失信主体名单须有公开的列入和退出条件，缺少：${missing.map((m) => m.zh).join('、')}`,
          `A serious-dishonesty list needs published entry and exit conditions; missing: ${missing.map((m) => m.en).join(', ')}`,
        ),
      );
  } else if (input.status !== 'draft' && !entry.zh && !entry.en) {
    out.push(
      problem(
        'CONDITIONS_REQUIRED',
        'conditions.entry',
        '须写明列入条件',
        'The entry conditions are required',
      ),
    );
  }

  checkPeriod(input.period, out);
  if (input.earlyExit) {
    const c = text(input.earlyExit.conditions);
    if (!c.zh || !c.en || !isMonths(input.earlyExit.minMonths, 0))
      out.push(
        problem(
          'EARLY_EXIT_INVALID',
          'earlyExit',
          '提前退出须写明条件和最短列入月数（0–240）',
          'Early exit needs its conditions and the minimum months on the list (0–240)',
        ),
      );
  }
  const days = input.statementDays ?? 10;
  if (!Number.isInteger(days) || days < 1 || days > 60)
    out.push(
      problem(
        'STATEMENT_DAYS_INVALID',
        'statementDays',
        '陈述申辩期须为 1–60 个工作日',
        'The statement period must be 1–60 working days',
      ),
    );
  if (input.status !== undefined && !(LIST_TYPE_STATUSES as readonly string[]).includes(input.status))
    out.push(
      problem('STATUS_INVALID', 'status', '状态无效', 'status must be draft, active, suspended or retired'),
    );
  return out;
}

export type ParsedListType = { ok: true; value: ListTypeDefinition } | { ok: false; problems: ListProblem[] };

/** Checks and normalises a list type; `ok` only when every check passes. */
export function parseListType(input: ListTypeInput): ParsedListType {
  const problems = checkListType(input);
  if (problems.length) return { ok: false, problems };
  const scratch: ListProblem[] = [];
  const period = checkPeriod(input.period, scratch) as ListPeriod;
  const early = input.earlyExit;
  return {
    ok: true,
    value: {
      code: (input.code ?? '').trim(),
      nameZh: (input.nameZh ?? '').trim(),
      nameEn: (input.nameEn ?? '').trim(),
      domain: (input.domain ?? '').trim(),
      kind: input.kind as ListKind,
      authority: text(input.authority),
      legalBasis: parseLegalBases(input.legalBasis).bases,
      basisStatus: (input.basisStatus ?? 'confirmed') as BasisStatus,
      conditions: {
        entry: text(input.conditions?.entry),
        exit: text(input.conditions?.exit),
        publishedIn: (input.conditions?.publishedIn ?? '').trim(),
      },
      period,
      earlyExit: early ? { conditions: text(early.conditions), minMonths: early.minMonths ?? 0 } : null,
      public: input.public ?? true,
      statementDays: input.statementDays ?? 10,
      status: (input.status ?? 'active') as ListTypeStatus,
    },
  };
}
