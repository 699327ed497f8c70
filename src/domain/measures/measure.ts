/**
 * The measures inventory (全国失信惩戒措施基础清单 and incentive measures) and its gate.
 *
 * Classes (REFERENCE §4.1): 1 — measures that reduce a subject's rights or add obligations;
 * 2 — management measures a public body takes within its own duties, which must not reduce rights;
 * 3 — measures market or social actors take on their own (authorities may not compel them).
 *
 * Ranks, from the 2025 opinion (十二): setting any dishonesty measure needs a law, administrative
 * regulation, local regulation or central policy document; a measure that reduces rights or adds
 * obligations needs a law, administrative regulation or local regulation. (49号 of 2020 still
 * allowed central policy documents for the latter; the opinion narrowed it.) And 49号: a measure
 * rests on a specific dishonest fact — a trigger on a list or a record established by a legal
 * document — and is on the list.
 */
import { RIGHTS_REDUCING_MIN_RANK, type LegalBasis, type LegalBasisRank } from '../catalog';
import type { Bilingual } from '../i18n';
import { itemRecordsDishonesty } from './evaluate';
import {
  isRestrictiveKind,
  PARTY_ROLE_LABELS,
  PARTY_ROLES,
  parseLegalBases,
  rankShortfall,
  type LegalBasisInput,
  type ListKind,
  type PartyRole,
} from '../lists';
import { isSeverity, type Severity } from '../periods';
import { isSubjectType, type SubjectType } from '../subject-types';

export const MEASURE_KINDS = ['restriction', 'incentive'] as const;
export type MeasureKind = (typeof MEASURE_KINDS)[number];

export const MEASURE_CLASSES = [1, 2, 3] as const;
export type MeasureClass = (typeof MEASURE_CLASSES)[number];

export const MEASURE_CLASS_LABELS: Record<MeasureClass, Bilingual> = {
  1: { zh: '减损信用主体权益或增加其义务的措施', en: 'Reduces rights or adds obligations' },
  2: { zh: '根据履职需要实施的相关管理措施', en: 'Management measure within the body’s duties' },
  3: { zh: '公共管理机构以外的组织自主实施的措施', en: 'Taken by market or social actors on their own' },
};

/** Class 1: law, administrative regulation or local regulation (opinion (十二)). */
export const CLASS1_MIN_RANK: LegalBasisRank = 'local_regulation';
/** Any dishonesty measure a public body sets: law … central policy document (opinion (十二)). */
export const RESTRICTION_MIN_RANK: LegalBasisRank = RIGHTS_REDUCING_MIN_RANK;
/**
 * A restriction that also reaches related parties of the listed subject (its legal representative,
 * principal or directly responsible persons, …) punishes persons whose own dishonesty no decision
 * has established: only a law or an administrative regulation may extend a measure that far
 * (stricter than class 1's local regulation, whatever the measure's class). The 限制高消费 rule of
 * the court is the model: the Civil Procedure Law and the SPC's rule name the persons it reaches.
 */
export const REACH_MIN_RANK: LegalBasisRank = 'administrative_regulation';

/** What makes a measure apply to a subject. */
export type Trigger =
  /** An active entry on this list type. */
  | { kind: 'list'; listType: string }
  /**
   * A disclosed record of this catalogue item with at least this severity; without a severity,
   * any disclosed record of the item (lists collected from elsewhere, e.g. the court's).
   */
  | { kind: 'record'; itemCode: string; minSeverity?: Severity }
  /** Incentives only: no active serious-dishonesty entry and no disclosed SERIOUS record. */
  | { kind: 'clean_record' }
  /** Reserved for the evaluation module (grades of a model); not evaluated yet. */
  | { kind: 'evaluation_grade'; model: string; grades: string[] };

export const TRIGGER_KINDS = ['list', 'record', 'clean_record', 'evaluation_grade'] as const;

/**
 * When a measure lifts: with its trigger (the entry ends, the record stops being disclosed — by
 * expiry, repair or court order), or earlier, `months` after the trigger started (e.g. 政府采购法
 * 第二十二条: no major illegal record in the 3 years before bidding).
 */
export type Lift = { kind: 'with_trigger' } | { kind: 'within_months'; months: number };

export const MEASURE_STATUSES = ['active', 'retired'] as const;
export type MeasureStatus = (typeof MEASURE_STATUSES)[number];

export interface MeasureDefinition {
  code: string;
  nameZh: string;
  nameEn: string;
  /** What the measure does, in both languages. */
  content: Bilingual;
  kind: MeasureKind;
  class: MeasureClass;
  /** Declared: the measure reduces rights or adds obligations (only class 1 may). */
  reducesRights: boolean;
  legalBasis: LegalBasis[];
  triggers: Trigger[];
  scenarios: string[];
  /** Subject types it applies to; empty = all. */
  subjectTypes: SubjectType[];
  implementingBodies: string[];
  lift: Lift;
  liftNote: Bilingual;
  status: MeasureStatus;
  /**
   * Roles of related parties the measure also reaches: it applies to a subject named in one of
   * these roles on an active entry of a list that triggers it (empty = the listed subject only).
   * Restrictions only, on a basis of law or administrative regulation (REACH_MIN_RANK), and only
   * through list triggers (records name no related parties). Versions stored before this field
   * existed read as empty.
   */
  reachesRoles: PartyRole[];
}

export interface MeasureInput {
  code?: string;
  nameZh?: string;
  nameEn?: string;
  content?: Partial<Bilingual>;
  kind?: string;
  class?: number;
  reducesRights?: boolean;
  legalBasis?: readonly LegalBasisInput[];
  triggers?: readonly {
    kind?: string;
    listType?: string;
    itemCode?: string;
    minSeverity?: string;
    model?: string;
    grades?: readonly string[];
  }[];
  scenarios?: readonly string[];
  subjectTypes?: readonly string[];
  implementingBodies?: readonly string[];
  lift?: { kind?: string; months?: number };
  liftNote?: Partial<Bilingual>;
  status?: string;
  reachesRoles?: readonly string[];
}

/** What the gate knows about the rest of the configuration. */
export interface MeasureGateContext {
  scenarios: ReadonlySet<string>;
  /** List types by code (status `draft` lists are not established yet). */
  listTypes: ReadonlyMap<string, { kind: ListKind; status: string }>;
  /**
   * Active catalogue items by code (each established by its own legal basis through the catalogue
   * gate), with their category and severity rule: whether the item records dishonesty.
   */
  catalogItems: ReadonlyMap<string, CatalogItemInfo>;
}

export interface CatalogItemInfo {
  categoryCode: string;
  /** The category's name, for the gate's messages (the code when absent). */
  categoryName?: Bilingual;
  /** The item's severity rule kind (`none`, `declared`, `derived`). */
  severityRule: string;
}

export type MeasureProblemCode =
  | 'CODE_INVALID'
  | 'NAME_REQUIRED'
  | 'CONTENT_REQUIRED'
  | 'KIND_INVALID'
  | 'CLASS_INVALID'
  | 'LEGAL_BASIS_REQUIRED'
  | 'LEGAL_BASIS_INVALID'
  | 'LEGAL_BASIS_RANK_TOO_LOW'
  | 'REDUCES_RIGHTS_NOT_CLASS_1'
  | 'CLASS_1_MUST_REDUCE_RIGHTS'
  | 'INCENTIVE_CLASS_1'
  | 'TRIGGER_REQUIRED'
  | 'TRIGGER_INVALID'
  | 'TRIGGER_UNKNOWN_LIST'
  | 'TRIGGER_LIST_NOT_ESTABLISHED'
  | 'TRIGGER_UNKNOWN_ITEM'
  | 'TRIGGER_ITEM_MISMATCH'
  | 'TRIGGER_KIND_MISMATCH'
  | 'SCENARIO_REQUIRED'
  | 'SCENARIO_UNKNOWN'
  | 'SUBJECT_TYPE_INVALID'
  | 'IMPLEMENTING_BODY_REQUIRED'
  | 'LIFT_INVALID'
  | 'STATUS_INVALID'
  | 'REACHES_ROLE_INVALID'
  | 'REACHES_ROLES_NOT_RESTRICTION'
  | 'REACHES_ROLES_RANK_TOO_LOW'
  | 'REACHES_ROLES_NO_LIST_TRIGGER';

export interface MeasureProblem {
  code: MeasureProblemCode;
  field: string;
  message: Bilingual;
}

export const MEASURE_CODE_PATTERN = /^[A-Z][A-Z0-9_]{1,39}$/;

function problem(code: MeasureProblemCode, field: string, zh: string, en: string): MeasureProblem {
  return { code, field, message: { zh, en } };
}

function text(v: Partial<Bilingual> | undefined): Bilingual {
  return { zh: (v?.zh ?? '').trim(), en: (v?.en ?? '').trim() };
}

/** The minimum basis rank for a measure of this kind and class, or null when any rank will do. */
export function minimumRank(kind: MeasureKind, cls: MeasureClass): LegalBasisRank | null {
  if (kind === 'incentive' || cls === 3) return null;
  return cls === 1 ? CLASS1_MIN_RANK : RESTRICTION_MIN_RANK;
}

function parseTriggers(
  input: MeasureInput,
  kind: MeasureKind | null,
  ctx: MeasureGateContext,
  out: MeasureProblem[],
): Trigger[] {
  const triggers: Trigger[] = [];
  (input.triggers ?? []).forEach((t, i) => {
    const field = `triggers[${i}]`;
    switch (t.kind) {
      case 'list': {
        const code = (t.listType ?? '').trim();
        const list = ctx.listTypes.get(code);
        if (!list) {
          out.push(
            problem(
              'TRIGGER_UNKNOWN_LIST',
              `${field}.listType`,
              `名单类型 ${code} 不存在`,
              `No list type ${code}`,
            ),
          );
          return;
        }
        if (list.status === 'draft' || list.status === 'retired') {
          out.push(
            problem(
              'TRIGGER_LIST_NOT_ESTABLISHED',
              `${field}.listType`,
              `名单 ${code} 尚未设立或已停用（${list.status}），不能作为措施的触发条件`,
              `List ${code} is not established or is retired (${list.status}) and cannot trigger a measure`,
            ),
          );
          return;
        }
        if (kind === 'restriction' && !isRestrictiveKind(list.kind))
          out.push(
            problem(
              'TRIGGER_KIND_MISMATCH',
              `${field}.listType`,
              `惩戒措施不能由红名单 ${code} 触发`,
              `A restriction cannot be triggered by the red list ${code}`,
            ),
          );
        if (kind === 'incentive' && list.kind !== 'red')
          out.push(
            problem(
              'TRIGGER_KIND_MISMATCH',
              `${field}.listType`,
              `激励措施只能由红名单触发，${code} 不是红名单`,
              `An incentive can only be triggered by a red list; ${code} is not one`,
            ),
          );
        triggers.push({ kind: 'list', listType: code });
        return;
      }
      case 'record': {
        const item = (t.itemCode ?? '').trim();
        const info = ctx.catalogItems.get(item);
        if (!info) {
          out.push(
            problem(
              'TRIGGER_UNKNOWN_ITEM',
              `${field}.itemCode`,
              `目录事项 ${item} 不存在`,
              `No catalogue item ${item}`,
            ),
          );
          return;
        }
        if (t.minSeverity !== undefined && !isSeverity(t.minSeverity)) {
          out.push(
            problem(
              'TRIGGER_INVALID',
              `${field}.minSeverity`,
              '最低严重程度须为 MINOR、GENERAL 或 SERIOUS',
              'The minimum severity must be MINOR, GENERAL or SERIOUS',
            ),
          );
          return;
        }
        const dishonesty = itemRecordsDishonesty(info);
        if (kind !== null && dishonesty !== (kind === 'restriction')) {
          const cat = info.categoryName ?? { zh: info.categoryCode, en: info.categoryCode };
          const zhCat = `${cat.zh}（${info.categoryCode}）`;
          const enCat = `${cat.en} (${info.categoryCode})`;
          out.push(
            kind === 'restriction'
              ? problem(
                  'TRIGGER_ITEM_MISMATCH',
                  `${field}.itemCode`,
                  `目录事项 ${item}（“${zhCat}”类）不记载失信或处罚信息，不能触发惩戒措施`,
                  `Catalogue item ${item} (category "${enCat}") records no dishonesty or penalty and cannot trigger a restriction`,
                )
              : problem(
                  'TRIGGER_ITEM_MISMATCH',
                  `${field}.itemCode`,
                  `目录事项 ${item}（“${zhCat}”类）记载失信或处罚信息，不能触发激励措施`,
                  `Catalogue item ${item} (category "${enCat}") records dishonesty or penalties and cannot trigger an incentive`,
                ),
          );
          return;
        }
        triggers.push({
          kind: 'record',
          itemCode: item,
          ...(t.minSeverity !== undefined ? { minSeverity: t.minSeverity } : {}),
        });
        return;
      }
      case 'clean_record':
        if (kind === 'restriction')
          out.push(
            problem(
              'TRIGGER_KIND_MISMATCH',
              field,
              '惩戒措施不能以“无失信记录”为触发条件',
              'A restriction cannot be triggered by a clean record',
            ),
          );
        triggers.push({ kind: 'clean_record' });
        return;
      case 'evaluation_grade': {
        const model = (t.model ?? '').trim();
        const grades = (t.grades ?? []).map((g) => g.trim()).filter(Boolean);
        if (!model || !grades.length) {
          out.push(
            problem(
              'TRIGGER_INVALID',
              field,
              '评价等级触发须注明模型和等级',
              'An evaluation-grade trigger needs a model and grades',
            ),
          );
          return;
        }
        triggers.push({ kind: 'evaluation_grade', model, grades });
        return;
      }
      default:
        out.push(
          problem(
            'TRIGGER_INVALID',
            `${field}.kind`,
            `触发类型“${String(t.kind ?? '')}”无效`,
            `Unknown trigger kind "${String(t.kind ?? '')}"`,
          ),
        );
    }
  });
  return triggers;
}

function parseLift(l: MeasureInput['lift'], out: MeasureProblem[]): Lift {
  if (!l || l.kind === 'with_trigger') return { kind: 'with_trigger' };
  if (
    l.kind === 'within_months' &&
    Number.isInteger(l.months) &&
    (l.months ?? 0) >= 1 &&
    (l.months ?? 0) <= 240
  )
    return { kind: 'within_months', months: l.months as number };
  out.push(
    problem(
      'LIFT_INVALID',
      'lift',
      '解除规则须为 with_trigger 或 within_months（1–240 个月）',
      'The lift rule must be with_trigger or within_months (1–240 months)',
    ),
  );
  return { kind: 'with_trigger' };
}

/**
 * The related-party roles a measure reaches, and a problem for each reason it may not: an unknown
 * role, an incentive (being a related party never earns or costs a reward), a basis below
 * REACH_MIN_RANK, no list trigger to name the parties.
 */
function parseReach(
  input: MeasureInput,
  kind: MeasureKind | null,
  bases: readonly LegalBasis[],
  triggers: readonly Trigger[],
  out: MeasureProblem[],
): PartyRole[] {
  const roles: PartyRole[] = [];
  (input.reachesRoles ?? []).forEach((raw, i) => {
    const r = String(raw ?? '').trim();
    if (!(PARTY_ROLES as readonly string[]).includes(r)) {
      out.push(
        problem(
          'REACHES_ROLE_INVALID',
          `reachesRoles[${i}]`,
          `关联人角色“${r}”无效（可用：${PARTY_ROLES.map((x) => `${x} ${PARTY_ROLE_LABELS[x].zh}`).join('、')}）`,
          `Unknown related-party role "${r}" (one of ${PARTY_ROLES.join(', ')})`,
        ),
      );
      return;
    }
    if (!roles.includes(r as PartyRole)) roles.push(r as PartyRole);
  });
  if (!roles.length) return roles;
  if (kind === 'incentive')
    out.push(
      problem(
        'REACHES_ROLES_NOT_RESTRICTION',
        'reachesRoles',
        '只有惩戒措施可以依法及于关联人；激励措施只适用于信用主体本身',
        'Only a restriction may reach related parties; an incentive applies to the subject itself only',
      ),
    );
  if (kind === 'restriction') {
    const label = rankShortfall(bases, REACH_MIN_RANK);
    if (label)
      out.push(
        problem(
          'REACHES_ROLES_RANK_TOO_LOW',
          'reachesRoles',
          `措施及于被列入主体以外的关联人（${roles.map((r) => PARTY_ROLE_LABELS[r].zh).join('、')}），须以法律或行政法规为依据（至少“${label.zh}”），现有依据位阶不足`,
          `A measure that reaches persons other than the listed subject (${roles.map((r) => PARTY_ROLE_LABELS[r].en.toLowerCase()).join(', ')}) needs a law or administrative regulation (at least "${label.en}"); the bases given rank lower`,
        ),
      );
    if (!triggers.some((t) => t.kind === 'list'))
      out.push(
        problem(
          'REACHES_ROLES_NO_LIST_TRIGGER',
          'reachesRoles',
          '关联人由名单记录（列入时登记的关联人及其角色）确定，及于关联人的措施须由名单触发',
          'Related parties are those a list entry names with their roles: a measure reaching them needs a list trigger',
        ),
      );
  }
  return roles;
}

export type ParsedMeasure =
  { ok: true; value: MeasureDefinition } | { ok: false; problems: MeasureProblem[] };

/**
 * Checks a measure against the gate and normalises it. Every problem is reported, each naming
 * its field in both languages.
 */
export function parseMeasure(input: MeasureInput, ctx: MeasureGateContext): ParsedMeasure {
  const out: MeasureProblem[] = [];
  const code = (input.code ?? '').trim();
  if (!MEASURE_CODE_PATTERN.test(code))
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
  const content = text(input.content);
  if (!content.zh || !content.en)
    out.push(
      problem('CONTENT_REQUIRED', 'content', '须写明措施内容', 'The content of the measure is required'),
    );
  const kind = (MEASURE_KINDS as readonly string[]).includes(input.kind ?? '')
    ? (input.kind as MeasureKind)
    : null;
  if (!kind)
    out.push(
      problem(
        'KIND_INVALID',
        'kind',
        '措施种类须为 restriction（惩戒）或 incentive（激励）',
        'kind must be restriction or incentive',
      ),
    );
  const cls = (MEASURE_CLASSES as readonly number[]).includes(input.class ?? 0)
    ? (input.class as MeasureClass)
    : null;
  if (!cls) out.push(problem('CLASS_INVALID', 'class', '措施类别须为 1、2 或 3', 'class must be 1, 2 or 3'));
  const reducesRights = input.reducesRights ?? cls === 1;

  const { bases, problems: basisProblems } = parseLegalBases(input.legalBasis);
  out.push(...basisProblems);
  if (!input.legalBasis?.length)
    out.push(
      problem('LEGAL_BASIS_REQUIRED', 'legalBasis', '措施必须有依据', 'A measure must name its legal basis'),
    );
  if (kind && cls) {
    if (kind === 'incentive' && cls === 1)
      out.push(
        problem(
          'INCENTIVE_CLASS_1',
          'class',
          '激励措施不减损权益，不能列为第一类',
          'An incentive does not reduce rights and cannot be class 1',
        ),
      );
    if (reducesRights && cls !== 1)
      out.push(
        problem(
          'REDUCES_RIGHTS_NOT_CLASS_1',
          'reducesRights',
          `减损权益或增加义务的措施只能列为第一类，不能列为第${cls}类`,
          `A measure that reduces rights or adds obligations must be class 1, not class ${cls}`,
        ),
      );
    if (cls === 1 && kind === 'restriction' && input.reducesRights === false)
      out.push(
        problem(
          'CLASS_1_MUST_REDUCE_RIGHTS',
          'reducesRights',
          '第一类措施即减损权益或增加义务的措施',
          'Class 1 measures are those that reduce rights or add obligations',
        ),
      );
    const min = minimumRank(kind, cls);
    const label = min ? rankShortfall(bases, min) : null;
    if (label) {
      out.push(
        problem(
          'LEGAL_BASIS_RANK_TOO_LOW',
          'legalBasis',
          cls === 1
            ? `第一类措施（减损权益或增加义务）须以法律、行政法规或地方性法规为依据（至少“${label.zh}”），现有依据位阶不足`
            : `设定失信惩戒措施须以法律、行政法规、地方性法规或党中央、国务院政策性文件为依据（至少“${label.zh}”），现有依据位阶不足`,
          cls === 1
            ? `A class-1 measure (reducing rights or adding obligations) needs a law, administrative regulation or local regulation (at least "${label.en}"); the bases given rank lower`
            : `A dishonesty measure needs a law, administrative regulation, local regulation or central policy document (at least "${label.en}"); the bases given rank lower`,
        ),
      );
    }
  }

  const triggers = parseTriggers(input, kind, ctx, out);
  const established = triggers.filter((t) => t.kind === 'list' || t.kind === 'record');
  if (!input.triggers?.length)
    out.push(
      problem(
        'TRIGGER_REQUIRED',
        'triggers',
        '措施必须有触发条件（名单或信用记录）',
        'A measure needs a trigger (a list or a credit record)',
      ),
    );
  else if (kind === 'restriction' && triggers.length === (input.triggers?.length ?? 0) && !established.length)
    out.push(
      problem(
        'TRIGGER_REQUIRED',
        'triggers',
        '惩戒措施必须由依法认定的名单或信用记录触发',
        'A restriction must be triggered by a list or a credit record established by a legal document',
      ),
    );

  const scenarios = [...new Set((input.scenarios ?? []).map((s) => s.trim()))];
  if (!scenarios.length)
    out.push(
      problem(
        'SCENARIO_REQUIRED',
        'scenarios',
        '须注明适用场景',
        'The scenarios the measure applies in are required',
      ),
    );
  scenarios.forEach((s, i) => {
    if (!ctx.scenarios.has(s))
      out.push(problem('SCENARIO_UNKNOWN', `scenarios[${i}]`, `场景 ${s} 不存在`, `No scenario ${s}`));
  });
  const subjectTypes: SubjectType[] = [];
  (input.subjectTypes ?? []).forEach((t, i) => {
    if (isSubjectType(t)) subjectTypes.push(t);
    else
      out.push(
        problem(
          'SUBJECT_TYPE_INVALID',
          `subjectTypes[${i}]`,
          `主体类型 ${t} 无效`,
          `Unknown subject type ${t}`,
        ),
      );
  });
  const bodies = (input.implementingBodies ?? []).map((b) => b.trim()).filter(Boolean);
  if (!bodies.length)
    out.push(
      problem(
        'IMPLEMENTING_BODY_REQUIRED',
        'implementingBodies',
        '须注明实施主体',
        'Implementing bodies are required',
      ),
    );
  const reachesRoles = parseReach(input, kind, bases, triggers, out);
  const lift = parseLift(input.lift, out);
  const status = input.status ?? 'active';
  if (!(MEASURE_STATUSES as readonly string[]).includes(status))
    out.push(
      problem('STATUS_INVALID', 'status', '状态须为 active 或 retired', 'status must be active or retired'),
    );

  if (out.length) return { ok: false, problems: out };
  return {
    ok: true,
    value: {
      code,
      nameZh: (input.nameZh ?? '').trim(),
      nameEn: (input.nameEn ?? '').trim(),
      content,
      kind: kind as MeasureKind,
      class: cls as MeasureClass,
      reducesRights,
      legalBasis: bases,
      triggers,
      scenarios,
      subjectTypes,
      implementingBodies: bodies,
      lift,
      liftNote: text(input.liftNote),
      status: status as MeasureStatus,
      reachesRoles,
    },
  };
}

/** Convenience for tests and the console: the problems only. */
export function checkMeasure(input: MeasureInput, ctx: MeasureGateContext): MeasureProblem[] {
  const r = parseMeasure(input, ctx);
  return r.ok ? [] : r.problems;
}
