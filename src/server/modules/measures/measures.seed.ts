/**
 * The measures shipped with the release: the scenarios, and measures modelled on the national basic
 * list (REFERENCE §4) with their bases. Run after the catalogue and the list types are seeded.
 *
 * Where the 2025 opinion alone names a field ("依法依规予以限制或禁止") without a law that sets the
 * restriction, the seed does not invent a class-1 measure (the gate would refuse it): it seeds a
 * class-2 "review" measure that sends the case to the implementing body's own laws.
 */
import { canonicalJson } from '../../../domain/canonical-json';
import { SCENARIOS, type MeasureInput } from '../../../domain/measures';
import { actorLabel, type Actor, type Ctx } from '../../platform/context';
import { AppError } from '../../platform/errors';
import { BASES } from '../lists';
import {
  createMeasure,
  createScenario,
  definitionOf,
  getMeasure,
  listScenarios,
  versionMeasure,
} from './measures.inventory';
import { measuresRepo } from './measures.repository';

export const MEASURE_SEED_ACTOR: Actor = { kind: 'system', name: 'measures-seed' };

const SERIOUS_LISTS = [
  'COURT_DISHONEST_DEBTORS',
  'SAMR_SERIOUS_VIOLATION',
  'TAX_MAJOR_VIOLATION',
  'WAGE_ARREARS',
  'WORK_SAFETY_SERIOUS',
  'SOCIAL_ORG_SERIOUS',
  'GOV_PROCUREMENT_SERIOUS',
];
const list = (code: string) => ({ kind: 'list', listType: code });
const onSeriousLists = [...SERIOUS_LISTS.map(list), { kind: 'record', itemCode: 'SXBZXR' }];
const court = [list('COURT_DISHONEST_DEBTORS'), { kind: 'record', itemCode: 'SXBZXR' }];
const withTrigger = { kind: 'with_trigger' };
const liftsWithList = {
  zh: '名单移出（期满、提前退出、信用修复或依法删除）时解除',
  en: 'Lifts when the entry ends (period end, early exit, credit repair or deletion)',
};

export const SEED_MEASURES: readonly MeasureInput[] = [
  {
    code: 'M_COURT_HIGH_CONSUMPTION',
    nameZh: '限制高消费及非生活和工作必需的消费',
    nameEn: 'Restriction of high consumption',
    content: {
      zh: '限制乘坐飞机、列车软卧、G字头动车组一等以上座位，限制在星级以上宾馆等高消费场所消费等。',
      en: 'No flights, first-class high-speed rail or sleeper berths, no luxury hotels and similar high consumption.',
    },
    kind: 'restriction',
    class: 1,
    legalBasis: [
      BASES.CIVIL_PROCEDURE,
      {
        ...BASES.SPC_HIGH_CONSUMPTION,
        article: '第三条第二款 (待核实)',
        note:
          '司法解释。被执行人为单位的，被执行人及其法定代表人、主要负责人、影响债务履行的直接责任人员、实际控制人' +
          '不得实施前款规定的行为；因私消费以个人财产实施的，可以向执行法院提出申请（条文待核实） / judicial ' +
          'interpretation: where the debtor is an organisation, its legal representative, principal responsible ' +
          'person, directly responsible persons and actual controller are restricted too; private consumption ' +
          'with personal property may be allowed by the enforcing court on application (to be confirmed)',
      },
    ],
    triggers: court,
    scenarios: ['HIGH_CONSUMPTION'],
    implementingBodies: ['人民法院', '协助执行单位（铁路、民航、金融机构等）'],
    lift: withTrigger,
    liftNote: liftsWithList,
    // 第三条第二款 (2015 amendment, [unconfirmed] against the official text): the court's entry on an
    // organisation reaches the persons it names in these roles. Only through the list trigger.
    reachesRoles: [
      'legal_representative',
      'principal_responsible',
      'directly_responsible',
      'actual_controller',
    ],
  },
  {
    code: 'M_COURT_EXIT',
    nameZh: '限制出境',
    nameEn: 'Restriction on leaving the country',
    content: {
      zh: '依法限制失信被执行人出境。',
      en: 'Dishonest judgment debtors may be prevented from leaving China.',
    },
    kind: 'restriction',
    class: 1,
    legalBasis: [BASES.CIVIL_PROCEDURE, BASES.EXIT_ENTRY_LAW],
    triggers: court,
    scenarios: ['EXIT_COUNTRY'],
    subjectTypes: ['NATURAL_PERSON'],
    implementingBodies: ['人民法院', '出入境管理机关'],
    lift: withTrigger,
    liftNote: liftsWithList,
  },
  {
    code: 'M_COURT_OFFICER',
    nameZh: '不得担任公司董事、监事、高级管理人员',
    nameEn: 'Barred from serving as company director, supervisor or officer',
    content: {
      zh: '个人因所负数额较大的债务到期未清偿被人民法院列为失信被执行人的，不得担任公司的董事、监事、高级管理人员。',
      en: 'A person listed as a dishonest judgment debtor for large unpaid debts may not serve as a company director, supervisor or senior officer.',
    },
    kind: 'restriction',
    class: 1,
    legalBasis: [BASES.COMPANY_LAW],
    triggers: court,
    scenarios: ['OFFICER_APPOINTMENT'],
    subjectTypes: ['NATURAL_PERSON'],
    implementingBodies: ['市场监督管理部门（登记机关）', '公司'],
    lift: withTrigger,
    liftNote: liftsWithList,
  },
  {
    code: 'M_COURT_PUBLIC_SECTOR',
    nameZh: '在政府采购、招标投标、行政审批、政府扶持、市场准入等方面予以限制',
    nameEn: 'Restrictions in procurement, tendering, approvals, subsidies and market access',
    content: {
      zh: '国家机关、事业单位、国有企业等在政府采购、招标投标、行政审批、政府扶持、融资信贷、市场准入、资质认定等方面，对失信被执行人予以信用惩戒。',
      en: 'Public bodies restrict dishonest judgment debtors in procurement, tendering, approvals, subsidies, financing, market access and qualifications.',
    },
    kind: 'restriction',
    class: 1,
    legalBasis: [BASES.CIVIL_PROCEDURE, { ...BASES.SPC_DISHONEST_DEBTORS, article: '第八条 (待核实)' }],
    triggers: court,
    scenarios: ['GOV_PROCUREMENT', 'TENDERING', 'ADMIN_APPROVAL', 'GOV_FUNDS', 'MARKET_ACCESS'],
    implementingBodies: ['各级行政机关', '事业单位', '国有企业'],
    lift: withTrigger,
    liftNote: liftsWithList,
  },
  {
    code: 'M_CIVIL_SERVICE',
    nameZh: '不得录用为公务员',
    nameEn: 'Not to be recruited as a civil servant',
    content: {
      zh: '被依法列为失信联合惩戒对象的，不得录用为公务员。',
      en: 'A person listed for joint punishment of dishonesty may not be recruited as a civil servant.',
    },
    kind: 'restriction',
    class: 1,
    legalBasis: [BASES.CIVIL_SERVANT_LAW],
    triggers: onSeriousLists,
    scenarios: ['CIVIL_SERVICE'],
    subjectTypes: ['NATURAL_PERSON'],
    implementingBodies: ['公务员主管部门', '招录机关'],
    lift: withTrigger,
    liftNote: liftsWithList,
  },
  {
    code: 'M_PROCUREMENT_BAN',
    nameZh: '不得参加政府采购活动',
    nameEn: 'Excluded from government procurement',
    content: {
      zh: '参加政府采购活动前三年内在经营活动中有重大违法记录的，或被禁止参加政府采购活动期间，不得参加政府采购活动。',
      en: 'Suppliers with a major illegal record in the three years before bidding, or under a procurement ban, may not take part.',
    },
    kind: 'restriction',
    class: 1,
    legalBasis: [BASES.PROCUREMENT_LAW],
    triggers: [list('GOV_PROCUREMENT_SERIOUS'), { kind: 'record', itemCode: 'XZCF', minSeverity: 'SERIOUS' }],
    scenarios: ['GOV_PROCUREMENT'],
    implementingBodies: ['采购人', '采购代理机构', '财政部门'],
    lift: { kind: 'within_months', months: 36 },
    liftNote: {
      zh: '禁止期届满，或重大违法记录作出之日起满三年（记录停止公示的更早解除）',
      en: 'When the ban ends, or three years after the major illegal record (earlier if the record stops being disclosed)',
    },
  },
  {
    code: 'M_WAGE_ARREARS',
    nameZh: '拖欠农民工工资失信联合惩戒',
    nameEn: 'Joint punishment for wage arrears',
    content: {
      zh: '在政府资金支持、政府采购、招投标、融资贷款、市场准入、税收优惠、评优评先、交通出行等方面依法依规予以限制。',
      en: 'Restrictions in government funding, procurement, tendering, financing, market access, tax preferences, awards and travel.',
    },
    kind: 'restriction',
    class: 1,
    legalBasis: [BASES.WAGE_REGULATION, BASES.MOHRSS_ORDER_45],
    triggers: [list('WAGE_ARREARS')],
    scenarios: [
      'GOV_FUNDS',
      'GOV_PROCUREMENT',
      'TENDERING',
      'MARKET_ACCESS',
      'TAX_PREFERENCE',
      'AWARDS',
      'HIGH_CONSUMPTION',
    ],
    implementingBodies: ['人力资源社会保障部门', '有关部门'],
    lift: withTrigger,
    liftNote: liftsWithList,
  },
  {
    code: 'M_SAMR_SERIOUS',
    nameZh: '严重违法失信企业在政府采购、招投标、土地出让、荣誉称号等方面受限',
    nameEn: 'Serious-violation enterprises restricted in procurement, tendering, land and honours',
    content: {
      zh: '对列入严重违法失信名单的企业，在政府采购、工程招投标、国有土地出让、授予荣誉称号等工作中依法予以限制或者禁止。',
      en: 'Enterprises on the serious-violation list are restricted or barred in procurement, tendering, state land transfers and honours.',
    },
    kind: 'restriction',
    class: 1,
    legalBasis: [BASES.ENTERPRISE_PUBLICITY, BASES.SAMR_ORDER_44],
    triggers: [list('SAMR_SERIOUS_VIOLATION')],
    scenarios: ['GOV_PROCUREMENT', 'TENDERING', 'PUBLIC_RESOURCE_TRADING', 'AWARDS'],
    implementingBodies: ['有关部门'],
    lift: withTrigger,
    liftNote: liftsWithList,
  },
  {
    code: 'M_TAX_EXIT',
    nameZh: '欠税阻止出境',
    nameEn: 'Exit ban for unpaid taxes',
    content: {
      zh: '欠缴税款的纳税人或其法定代表人在出境前未结清税款、滞纳金又不提供担保的，税务机关可以通知出境管理机关阻止其出境。',
      en: 'A taxpayer (or its legal representative) with unpaid tax and no guarantee may be stopped from leaving the country.',
    },
    kind: 'restriction',
    class: 1,
    legalBasis: [BASES.TAX_ADMIN_LAW],
    triggers: [list('TAX_MAJOR_VIOLATION')],
    scenarios: ['EXIT_COUNTRY'],
    implementingBodies: ['税务机关', '出入境管理机关'],
    lift: withTrigger,
    liftNote: {
      zh: '结清税款、滞纳金或提供担保后解除',
      en: 'Lifts once tax and late fees are paid or guaranteed',
    },
  },
  {
    code: 'M_WORK_SAFETY',
    nameZh: '安全生产严重失信：暂停项目审批、行业或职业禁入',
    nameEn: 'Work safety: suspended approvals, industry or occupational bans',
    content: {
      zh: '对违法行为情节严重的生产经营单位及其有关从业人员，采取暂停项目审批、行业或者职业禁入等联合惩戒措施。',
      en: 'For serious violations: project approvals suspended and industry or occupational bans for the unit and responsible staff.',
    },
    kind: 'restriction',
    class: 1,
    legalBasis: [BASES.WORK_SAFETY_LAW, BASES.MEM_ORDER_11],
    triggers: [list('WORK_SAFETY_SERIOUS')],
    scenarios: ['ADMIN_APPROVAL', 'MARKET_ACCESS'],
    implementingBodies: ['应急管理部门', '有关审批部门'],
    lift: withTrigger,
    liftNote: liftsWithList,
  },
  {
    code: 'M_SERIOUS_REVIEW',
    nameZh: '严重失信主体：依法依规审查限制或禁止',
    nameEn: 'Serious-dishonesty subjects: reviewed for restriction under the applicable law',
    content: {
      zh: '在申请政府资金、享受税收优惠、参与公共资源交易、股票债券发行、评先评优、公务员录用遴选调任聘任、事业单位公开招聘等方面，由实施部门依照本领域法律、法规审查决定是否限制或者禁止；本措施本身不减损权益。',
      en: 'In government funds, tax preferences, public resource trading, share and bond issuance, awards, civil-service and public-institution recruitment the implementing body decides under the laws of its field whether to restrict; this measure itself reduces no rights.',
    },
    kind: 'restriction',
    class: 2,
    reducesRights: false,
    legalBasis: [BASES.OPINIONS_2025, BASES.GUOBAN_2020_49],
    triggers: onSeriousLists,
    scenarios: [
      'GOV_FUNDS',
      'TAX_PREFERENCE',
      'PUBLIC_RESOURCE_TRADING',
      'SECURITIES_ISSUANCE',
      'AWARDS',
      'CIVIL_SERVICE',
      'PUBLIC_INSTITUTION_HIRING',
    ],
    implementingBodies: ['各有关部门'],
    lift: withTrigger,
    liftNote: liftsWithList,
  },
  {
    code: 'M_KEY_SUPERVISION',
    nameZh: '列为重点监管对象，提高抽查比例和频次',
    nameEn: 'Key supervision target, more frequent inspections',
    content: {
      zh: '在“双随机、一公开”监管中提高抽查比例和频次，加强日常监管。',
      en: 'Higher sampling ratio and frequency in random inspections; closer routine supervision.',
    },
    kind: 'restriction',
    class: 2,
    reducesRights: false,
    legalBasis: [BASES.GUOBAN_2019_35, BASES.GUOBAN_2020_49],
    triggers: [
      ...onSeriousLists,
      list('SAMR_BUSINESS_ABNORMAL'),
      { kind: 'record', itemCode: 'XZCF', minSeverity: 'SERIOUS' },
    ],
    scenarios: ['SUPERVISION'],
    implementingBodies: ['各行业主管部门'],
    lift: withTrigger,
    liftNote: {
      zh: '名单移出或严重处罚信息停止公示时解除',
      en: 'Lifts when the entry ends or the serious penalty stops being disclosed',
    },
  },
  {
    code: 'M_NO_FAST_TRACK',
    nameZh: '不适用告知承诺制、容缺受理等便利措施',
    nameEn: 'No notification-commitment or fast-track handling',
    content: {
      zh: '办理行政审批时不适用告知承诺制、容缺受理等便利措施，依法从严审核。',
      en: 'Administrative approvals without notification-commitment or fast track; stricter review under the law.',
    },
    kind: 'restriction',
    class: 2,
    reducesRights: false,
    legalBasis: [BASES.GUOBAN_2019_35],
    triggers: [...onSeriousLists, { kind: 'record', itemCode: 'XZCF', minSeverity: 'SERIOUS' }],
    scenarios: ['ADMIN_APPROVAL'],
    implementingBodies: ['行政审批部门'],
    lift: withTrigger,
    liftNote: liftsWithList,
  },
  {
    code: 'M_MARKET_RISK_PRICING',
    nameZh: '金融、保险机构自主参考（不得强制）',
    nameEn: 'Financial and insurance institutions may take it into account (never compelled)',
    content: {
      zh: '金融机构、保险机构可根据自身风控规则，自主决定在授信、费率等方面审慎对待；公共管理机构不得强制其实施。',
      en: 'Banks and insurers may, under their own risk rules, price the risk into credit and premiums; public bodies may not compel them.',
    },
    kind: 'restriction',
    class: 3,
    reducesRights: false,
    legalBasis: [BASES.GUOBAN_2020_49],
    triggers: onSeriousLists,
    scenarios: ['FINANCING'],
    implementingBodies: ['金融机构', '保险机构（自主实施）'],
    lift: withTrigger,
    liftNote: liftsWithList,
  },
  {
    code: 'I_FAST_TRACK',
    nameZh: '容缺受理、绿色通道',
    nameEn: 'Fast track and incomplete-file acceptance',
    content: {
      zh: '办理行政审批时可适用容缺受理、告知承诺、绿色通道等便利措施。',
      en: 'Approvals may use fast lanes, acceptance with minor documents missing, and notification-commitment.',
    },
    kind: 'incentive',
    class: 2,
    reducesRights: false,
    legalBasis: [BASES.GUOFA_2016_33, BASES.OPINIONS_2025_INCENTIVE],
    triggers: [{ kind: 'clean_record' }, list('TAX_CREDIT_A')],
    scenarios: ['ADMIN_APPROVAL'],
    implementingBodies: ['行政审批部门'],
    lift: withTrigger,
    liftNote: {
      zh: '出现严重失信情形时不再适用',
      en: 'No longer applies once the subject becomes seriously dishonest',
    },
  },
  {
    code: 'I_FEWER_INSPECTIONS',
    nameZh: '降低抽查比例和频次',
    nameEn: 'Fewer random inspections',
    content: {
      zh: '对守信主体适当降低“双随机、一公开”抽查比例和频次，无事不扰。',
      en: 'Lower sampling ratio and frequency for trustworthy subjects.',
    },
    kind: 'incentive',
    class: 2,
    reducesRights: false,
    legalBasis: [BASES.GUOBAN_2019_35],
    triggers: [list('TAX_CREDIT_A')],
    scenarios: ['SUPERVISION'],
    implementingBodies: ['各行业主管部门'],
    lift: withTrigger,
    liftNote: { zh: '移出红名单时解除', en: 'Lifts when the subject leaves the red list' },
  },
  {
    code: 'I_AWARDS_PRIORITY',
    nameZh: '评先评优同等条件下优先',
    nameEn: 'Priority in awards, other things equal',
    content: {
      zh: '在评先评优中同等条件下优先考虑。',
      en: 'Preferred in awards and honours, other things equal.',
    },
    kind: 'incentive',
    class: 2,
    reducesRights: false,
    legalBasis: [BASES.GUOFA_2016_33],
    triggers: [list('TAX_CREDIT_A')],
    scenarios: ['AWARDS'],
    implementingBodies: ['评选机关'],
    lift: withTrigger,
    liftNote: { zh: '移出红名单时解除', en: 'Lifts when the subject leaves the red list' },
  },
  {
    code: 'I_CREDIT_FINANCING',
    nameZh: '信易贷融资便利',
    nameEn: 'Credit-based financing facilitation',
    content: {
      zh: '金融机构可自主为守信主体提供更便利的融资服务。',
      en: 'Financial institutions may, on their own, offer easier financing to trustworthy subjects.',
    },
    kind: 'incentive',
    class: 3,
    reducesRights: false,
    legalBasis: [BASES.OPINIONS_2025_INCENTIVE],
    triggers: [list('TAX_CREDIT_A')],
    scenarios: ['FINANCING'],
    implementingBodies: ['金融机构（自主实施）'],
    lift: withTrigger,
    liftNote: { zh: '移出红名单时解除', en: 'Lifts when the subject leaves the red list' },
  },
];

export interface MeasureSeedSummary {
  scenariosCreated: string[];
  created: string[];
  versioned: string[];
  /** Seeded measures the gate refuses against this database's configuration (left as they are). */
  refused: { code: string; problem: string }[];
}

/**
 * Makes the seeded scenarios and measures present; safe at every start (inside a transaction),
 * after the catalogue and the list types. Administrators' own versions are kept.
 */
export async function seedMeasures(ctx: Ctx): Promise<MeasureSeedSummary> {
  const sctx: Ctx = { ...ctx, actor: MEASURE_SEED_ACTOR };
  const summary: MeasureSeedSummary = { scenariosCreated: [], created: [], versioned: [], refused: [] };
  await measuresRepo.lockInventory(ctx.db);
  const have = new Set((await listScenarios(sctx)).map((s) => s.code));
  for (const s of SCENARIOS) {
    if (have.has(s.code)) continue;
    await createScenario(sctx, { code: s.code, nameZh: s.name.zh, nameEn: s.name.en, sort: s.sort });
    summary.scenariosCreated.push(s.code);
  }
  const seeder = actorLabel(MEASURE_SEED_ACTOR);
  for (const input of SEED_MEASURES) {
    const code = input.code as string;
    try {
      if (!(await measuresRepo.head(ctx.db, code))) {
        await createMeasure(sctx, input);
        summary.created.push(code);
        continue;
      }
      const current = await getMeasure(sctx, code);
      if (current.recordedBy !== seeder) continue;
      const before = canonicalJson(definitionOf(current));
      const after = await versionMeasure(sctx, code, input);
      if (canonicalJson(definitionOf(after)) !== before) summary.versioned.push(code);
    } catch (err) {
      // E.g. an administrator retired a list type a seeded measure triggers on: the gate refuses
      // the seed, and startup goes on with what the administrator decided.
      if (!(err instanceof AppError) || err.code !== 'MEASURE_INVALID') throw err;
      summary.refused.push({ code, problem: String(err.details.problem ?? err.code) });
    }
  }
  return summary;
}
