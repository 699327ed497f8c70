/**
 * The list types shipped with the release: the domain lists of REFERENCE §6.2, the new domains of
 * the 2025 opinion (十二) as drafts (basis to be confirmed, no conditions published yet, so nothing
 * can be listed on them), one red list and the business-abnormal list. Article numbers marked
 * "(待核实)" are to be checked against the official text before they are relied on.
 */
import { canonicalJson } from '../../../domain/canonical-json';
import type { LegalBasis } from '../../../domain/catalog';
import type { ListTypeInput } from '../../../domain/lists';
import { actorLabel, type Actor, type Ctx } from '../../platform/context';
import { listsRepo } from './lists.repository';
import { createListType, definitionOf, getListType, versionListType } from './lists.types';

export const LIST_SEED_ACTOR: Actor = { kind: 'system', name: 'lists-seed' };

/** Instruments the seeded lists and measures cite. */
export const BASES = {
  OPINIONS_2025: {
    instrument: '中共中央办公厅、国务院办公厅《关于健全社会信用体系的意见》（2025年）',
    article: '（十二）',
    rank: 'central_policy',
  },
  OPINIONS_2025_INCENTIVE: {
    instrument: '中共中央办公厅、国务院办公厅《关于健全社会信用体系的意见》（2025年）',
    article: '（十一）',
    rank: 'central_policy',
  },
  GUOBAN_2020_49: {
    instrument:
      '《国务院办公厅关于进一步完善失信约束制度构建诚信建设长效机制的指导意见》（国办发〔2020〕49号）',
    rank: 'central_policy',
  },
  GUOBAN_2019_35: {
    instrument:
      '《国务院办公厅关于加快推进社会信用体系建设构建以信用为基础的新型监管机制的指导意见》（国办发〔2019〕35号）',
    rank: 'central_policy',
  },
  GUOFA_2016_33: {
    instrument:
      '《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》（国发〔2016〕33号）',
    rank: 'central_policy',
  },
  CIVIL_PROCEDURE: {
    instrument: '《中华人民共和国民事诉讼法》（2023年修正）',
    article: '第二百六十六条 (待核实)',
    rank: 'law',
  },
  SPC_DISHONEST_DEBTORS: {
    instrument: '《最高人民法院关于公布失信被执行人名单信息的若干规定》（2017年修正）',
    rank: 'normative_document',
    note: '司法解释，不在本位阶表内 / a judicial interpretation outside this rank table',
  },
  SPC_HIGH_CONSUMPTION: {
    instrument: '《最高人民法院关于限制被执行人高消费及有关消费的若干规定》（2015年修正）',
    rank: 'normative_document',
    note: '司法解释 / judicial interpretation',
  },
  EXIT_ENTRY_LAW: {
    instrument: '《中华人民共和国出境入境管理法》',
    article: '第十二条、第二十八条 (待核实)',
    rank: 'law',
  },
  COMPANY_LAW: {
    instrument: '《中华人民共和国公司法》（2023年修订）',
    article: '第一百七十八条 (待核实)',
    rank: 'law',
  },
  CIVIL_SERVANT_LAW: {
    instrument: '《中华人民共和国公务员法》（2018年修订）',
    article: '第二十六条 (待核实)',
    rank: 'law',
  },
  PROCUREMENT_LAW: {
    instrument: '《中华人民共和国政府采购法》',
    article: '第二十二条、第七十七条',
    rank: 'law',
  },
  ENTERPRISE_PUBLICITY: {
    instrument: '《企业信息公示暂行条例》（国务院令第654号，国务院令第777号修订）',
    article: '(条文待核实)',
    rank: 'administrative_regulation',
  },
  SAMR_ORDER_44: {
    instrument: '《市场监督管理严重违法失信名单管理办法》（国家市场监督管理总局令第44号）',
    rank: 'departmental_rule',
  },
  TAX_ADMIN_LAW: {
    instrument: '《中华人民共和国税收征收管理法》',
    article: '第四十四条 (待核实)',
    rank: 'law',
  },
  STA_ORDER_54: {
    instrument: '《重大税收违法失信主体信息公布管理办法》（国家税务总局令第54号）',
    rank: 'departmental_rule',
  },
  WAGE_REGULATION: {
    instrument: '《保障农民工工资支付条例》（国务院令第724号）',
    article: '第四十八条',
    rank: 'administrative_regulation',
  },
  MOHRSS_ORDER_45: {
    instrument: '《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》（人力资源社会保障部令第45号）',
    rank: 'departmental_rule',
  },
  WORK_SAFETY_LAW: {
    instrument: '《中华人民共和国安全生产法》（2021年修正）',
    article: '第七十八条 (待核实)',
    rank: 'law',
  },
  MEM_ORDER_11: {
    instrument: '《安全生产严重失信主体名单管理办法》（应急管理部令第11号）',
    rank: 'departmental_rule',
  },
  MCA_SOCIAL_ORG: {
    instrument: '《社会组织信用信息管理办法》（民政部令第60号 (待核实)）',
    rank: 'departmental_rule',
  },
  SOCIAL_GROUP_REGULATION: {
    instrument: '《社会团体登记管理条例》',
    rank: 'administrative_regulation',
    note: '登记管理依据；名单的设列依据另见国办发〔2020〕49号',
  },
  TAX_CREDIT: {
    instrument: '《纳税信用管理办法》（国家税务总局）',
    rank: 'normative_document',
    note: '文号与位阶待核实 / number and rank to be confirmed',
  },
} satisfies Record<string, LegalBasis>;

const pending = (zh: string, en: string) => ({ zh, en });

function newDomain(code: string, zh: string, en: string, domain: string): ListTypeInput {
  return {
    code,
    nameZh: `${zh}严重失信主体名单`,
    nameEn: `Serious-dishonesty list: ${en}`,
    domain,
    kind: 'serious_dishonesty',
    authority: pending('行业主管部门（待明确）', 'The competent department (to be designated)'),
    legalBasis: [
      {
        ...BASES.OPINIONS_2025,
        note: `意见要求在${zh}领域增设严重失信主体名单；列入、退出条件和程序待行业主管部门以部门规章明确`,
      },
    ],
    basisStatus: 'to_be_confirmed',
    conditions: {
      entry: pending('', ''),
      exit: pending('', ''),
      publishedIn: '',
    },
    period: { kind: 'fixed', months: 36 },
    earlyExit: null,
    public: true,
    statementDays: 10,
    status: 'draft',
  };
}

export const SEED_LIST_TYPES: readonly ListTypeInput[] = [
  {
    code: 'COURT_DISHONEST_DEBTORS',
    nameZh: '失信被执行人名单',
    nameEn: 'Dishonest judgment debtors',
    domain: '司法',
    kind: 'serious_dishonesty',
    authority: { zh: '人民法院', en: "People's courts" },
    legalBasis: [BASES.CIVIL_PROCEDURE, BASES.SPC_DISHONEST_DEBTORS],
    basisStatus: 'confirmed',
    conditions: {
      entry: {
        zh: '被执行人未履行生效法律文书确定的义务，并具有下列情形之一：有履行能力而拒不履行；以伪造证据、暴力、威胁等方法妨碍、抗拒执行；以虚假诉讼、虚假仲裁或者隐匿、转移财产等方法规避执行；违反财产报告制度；违反限制消费令；无正当理由拒不履行执行和解协议。',
        en: 'The debtor has not performed a judgment and: is able but refuses; obstructs enforcement by forged evidence, violence or threats; evades it by sham litigation or arbitration or by hiding assets; breaches the asset-reporting duty; breaches a consumption-restriction order; or refuses a settlement agreement without reason.',
      },
      exit: {
        zh: '已履行生效法律文书确定的义务或者人民法院已执行完毕等情形，删除失信信息；期满自动删除。',
        en: 'Deleted when the obligations are performed or enforcement is completed; deleted automatically when the period ends.',
      },
      publishedIn: '《最高人民法院关于公布失信被执行人名单信息的若干规定》（2017年修正）',
    },
    period: { kind: 'fixed', months: 24, maxMonths: 60 },
    earlyExit: {
      conditions: {
        zh: '全部履行义务或执行完毕',
        en: 'Obligations performed in full or enforcement completed',
      },
      minMonths: 0,
    },
    public: true,
    statementDays: 10,
  },
  {
    code: 'SAMR_SERIOUS_VIOLATION',
    nameZh: '市场监督管理严重违法失信名单',
    nameEn: 'Market supervision serious violations',
    domain: '市场监管',
    kind: 'serious_dishonesty',
    authority: { zh: '市场监督管理部门', en: 'Market supervision authorities' },
    legalBasis: [BASES.ENTERPRISE_PUBLICITY, BASES.SAMR_ORDER_44],
    basisStatus: 'confirmed',
    conditions: {
      entry: {
        zh: '实施严重违法行为（性质恶劣、情节严重、社会危害较大），且受到较重行政处罚：依照裁量基准按上限或者较高标准处以罚款；降低资质等级、吊销许可证件或者营业执照；限制开展生产经营活动、责令停产停业、责令关闭、限制从业；其他较重行政处罚。',
        en: 'A serious violation (egregious, serious circumstances, considerable harm) with a heavy penalty: a fine at the top of the discretion benchmark; downgrade or revocation of a licence or business licence; restriction of business, suspension, closure or ban from the occupation; other heavy penalties.',
      },
      exit: {
        zh: '列入满 3 年移出；满 1 年且符合条件的可申请提前移出。',
        en: 'Removed after 3 years; early removal on application after 1 year when the conditions are met.',
      },
      publishedIn: '《市场监督管理严重违法失信名单管理办法》（国家市场监督管理总局令第44号）',
    },
    period: { kind: 'fixed', months: 36 },
    earlyExit: {
      conditions: {
        zh: '法定限制期已满；已履行行政处罚决定；已消除危害后果；未再受到市场监督管理部门较重行政处罚。',
        en: 'The statutory restriction period has ended; the penalty is performed; the harm is remedied; no further heavy penalty from market supervision.',
      },
      minMonths: 12,
    },
    public: true,
    statementDays: 10,
  },
  {
    code: 'TAX_MAJOR_VIOLATION',
    nameZh: '重大税收违法失信主体名单',
    nameEn: 'Major tax violations',
    domain: '税务',
    kind: 'serious_dishonesty',
    authority: { zh: '税务机关', en: 'Tax authorities' },
    legalBasis: [BASES.TAX_ADMIN_LAW, BASES.STA_ORDER_54],
    basisStatus: 'confirmed',
    conditions: {
      entry: {
        zh: '偷税数额 100 万元以上且占应纳税额 10% 以上；欠税 100 万元以上并转移、隐匿财产；骗取出口退税；以暴力、威胁方法拒不缴纳税款；虚开增值税专用发票；虚开普通发票 100 份以上或金额 400 万元以上；伪造发票；在税务机关检查期间逃避检查；为他人偷税提供便利等（重大税收违法失信主体信息公布管理办法）。',
        en: 'Evasion ≥ 1,000,000 CNY and ≥ 10% of tax due; arrears ≥ 1,000,000 CNY with concealed assets; export-rebate fraud; violent refusal; false special VAT invoices; ≥ 100 false ordinary invoices or ≥ 4,000,000 CNY; forged invoices; absconding; facilitating evasion (STA Order 54).',
      },
      exit: {
        zh: '公布期满停止公布；按规定缴清税款、滞纳金和罚款等的，可申请提前停止公布。',
        en: 'Publication stops at the end of the period; earlier on application once tax, late fees and fines are paid as required.',
      },
      publishedIn: '《重大税收违法失信主体信息公布管理办法》（国家税务总局令第54号）',
    },
    period: { kind: 'fixed', months: 36 },
    earlyExit: {
      conditions: {
        zh: '缴清税款、滞纳金和罚款，并符合提前停止公布条件',
        en: 'Tax, late fees and fines paid and the conditions for early stop met',
      },
      minMonths: 0,
    },
    public: true,
    statementDays: 10,
  },
  {
    code: 'WAGE_ARREARS',
    nameZh: '拖欠农民工工资失信联合惩戒对象名单',
    nameEn: "Migrant workers' wage arrears",
    domain: '人力资源社会保障',
    kind: 'serious_dishonesty',
    authority: { zh: '人力资源社会保障行政部门', en: 'Human resources and social security authorities' },
    legalBasis: [BASES.WAGE_REGULATION, BASES.MOHRSS_ORDER_45],
    basisStatus: 'confirmed',
    conditions: {
      entry: {
        zh: '克扣、无故拖欠农民工工资达到认定拒不支付劳动报酬罪数额标准，或因拖欠农民工工资引发群体性事件、极端事件造成严重不良社会影响，经责令限期支付仍未支付。',
        en: 'Wage arrears reaching the criminal-threshold amount, or arrears causing mass or extreme incidents, after an order to pay is ignored.',
      },
      exit: {
        zh: '列入满 3 年移出；已改正并满 6 个月、作出信用承诺的可申请提前移出。',
        en: 'Removed after 3 years; early removal 6 months after correction with a credit commitment.',
      },
      publishedIn: '《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》（人力资源社会保障部令第45号）',
    },
    period: { kind: 'fixed', months: 36 },
    earlyExit: {
      conditions: {
        zh: '已支付拖欠工资，改正满 6 个月，并作出信用承诺',
        en: 'Arrears paid, 6 months since correction, credit commitment made',
      },
      minMonths: 6,
    },
    public: true,
    statementDays: 10,
  },
  {
    code: 'WORK_SAFETY_SERIOUS',
    nameZh: '安全生产严重失信主体名单',
    nameEn: 'Work safety serious dishonesty',
    domain: '应急管理',
    kind: 'serious_dishonesty',
    authority: {
      zh: '应急管理部门、矿山安全监察机构',
      en: 'Emergency management and mine safety authorities',
    },
    legalBasis: [BASES.WORK_SAFETY_LAW, BASES.MEM_ORDER_11],
    basisStatus: 'confirmed',
    conditions: {
      entry: {
        zh: '因严重安全生产违法行为受到行政处罚，包括出租、出借资质或出具虚假报告的安全评价、检测检验机构等（应急管理部令第11号）。',
        en: 'Administrative penalty for a serious safety violation, including assessment and testing bodies that rent out qualifications or issue false reports (MEM Order 11).',
      },
      exit: {
        zh: '管理期限 3 年，期满移出；满 12 个月且符合条件的可申请提前移出；发现弄虚作假的撤销移出决定。',
        en: 'Managed for 3 years, then removed; early removal after 12 months when conditions are met; revoked if fraud is found.',
      },
      publishedIn: '《安全生产严重失信主体名单管理办法》（应急管理部令第11号）',
    },
    period: { kind: 'fixed', months: 36 },
    earlyExit: {
      conditions: {
        zh: '履行行政处罚、消除隐患，满 12 个月未再发生严重违法行为',
        en: 'Penalty performed, hazards removed, no further serious violation for 12 months',
      },
      minMonths: 12,
    },
    public: true,
    statementDays: 10,
  },
  {
    code: 'SOCIAL_ORG_SERIOUS',
    nameZh: '社会组织严重违法失信名单',
    nameEn: 'Social organisations: serious violations',
    domain: '民政',
    kind: 'serious_dishonesty',
    authority: { zh: '民政部门（登记管理机关）', en: 'Civil affairs authorities (registration)' },
    legalBasis: [BASES.GUOBAN_2020_49, BASES.SOCIAL_GROUP_REGULATION, BASES.MCA_SOCIAL_ORG],
    basisStatus: 'confirmed',
    conditions: {
      entry: {
        zh: '被撤销登记；被列入活动异常名录满 2 年；其他严重违法情形（社会组织信用信息管理办法）。',
        en: 'Registration revoked; on the activity-abnormal list for 2 years; other serious violations.',
      },
      exit: {
        zh: '列入满 2 年未再被列入的可申请移出；被撤销登记的在依法办理注销后移出。',
        en: 'Removal on application after 2 years with no new listing; revoked organisations are removed when deregistered.',
      },
      publishedIn: '《社会组织信用信息管理办法》',
    },
    period: { kind: 'indefinite', reviewMonths: 24 },
    earlyExit: {
      conditions: { zh: '满 2 年且未再被列入', en: 'Two years with no new listing' },
      minMonths: 24,
    },
    public: true,
    statementDays: 10,
  },
  {
    code: 'GOV_PROCUREMENT_SERIOUS',
    nameZh: '政府采购严重违法失信行为记录名单',
    nameEn: 'Government procurement serious violations',
    domain: '政府采购',
    kind: 'serious_dishonesty',
    authority: { zh: '财政部门', en: 'Finance departments' },
    legalBasis: [BASES.PROCUREMENT_LAW],
    basisStatus: 'confirmed',
    conditions: {
      entry: {
        zh: '供应商有政府采购法第七十七条所列情形（提供虚假材料谋取中标、成交；采取不正当手段诋毁、排挤其他供应商；与采购人、其他供应商或者采购代理机构恶意串通等），被处以禁止参加政府采购活动的行政处罚。',
        en: 'A supplier banned from government procurement for the acts of Art. 77 of the Government Procurement Law (false materials, disparaging competitors, collusion, …).',
      },
      exit: {
        zh: '禁止参加政府采购活动的期限届满后移出（1 至 3 年 (待核实)）。',
        en: 'Removed when the ban ends (1–3 years, to be confirmed).',
      },
      publishedIn: '《中华人民共和国政府采购法》第七十七条；财政部相关规定 (待核实)',
    },
    period: { kind: 'fixed', months: 12, maxMonths: 36 },
    earlyExit: null,
    public: true,
    statementDays: 10,
  },
  newDomain('REAL_ESTATE_SERIOUS', '房地产市场', 'real estate market', '住房城乡建设'),
  newDomain('INTERNET_SERIOUS', '互联网', 'internet', '网信'),
  newDomain('HR_MARKET_SERIOUS', '人力资源市场', 'human-resources market', '人力资源社会保障'),
  newDomain('ENERGY_CONTRACT_SERIOUS', '能源中长期合同', 'energy long-term contracts', '能源'),
  {
    code: 'SAMR_BUSINESS_ABNORMAL',
    nameZh: '经营异常名录',
    nameEn: 'Business-abnormal list',
    domain: '市场监管',
    kind: 'business_abnormal',
    authority: { zh: '市场监督管理部门', en: 'Market supervision authorities' },
    legalBasis: [BASES.ENTERPRISE_PUBLICITY],
    basisStatus: 'confirmed',
    conditions: {
      entry: {
        zh: '未按规定期限公示年度报告；未在责令期限内公示有关信息；公示信息隐瞒真实情况、弄虚作假；通过登记的住所或经营场所无法联系。',
        en: 'Annual report not published on time; information not published when ordered; false published information; unreachable at the registered address.',
      },
      exit: {
        zh: '改正后申请移出；满 3 年未移出的依法列入严重违法失信名单。',
        en: 'Removed on application after correction; after 3 years it moves to the serious-violation list.',
      },
      publishedIn: '《企业经营异常名录管理暂行办法》',
    },
    period: { kind: 'until_performed', maxMonths: 36 },
    earlyExit: { conditions: { zh: '已改正', en: 'Corrected' }, minMonths: 0 },
    public: true,
    statementDays: 10,
  },
  {
    code: 'TAX_CREDIT_A',
    nameZh: '纳税信用A级纳税人名单',
    nameEn: 'Taxpayers with tax-credit grade A',
    domain: '税务',
    kind: 'red',
    authority: { zh: '税务机关', en: 'Tax authorities' },
    legalBasis: [BASES.TAX_CREDIT, BASES.GUOFA_2016_33],
    basisStatus: 'to_be_confirmed',
    conditions: {
      entry: { zh: '年度纳税信用评价为A级', en: 'Graded A in the annual tax-credit evaluation' },
      exit: { zh: '评价年度结束或等级调整', en: 'End of the evaluation year or a grade change' },
      publishedIn: '《纳税信用管理办法》',
    },
    period: { kind: 'fixed', months: 12 },
    earlyExit: { conditions: { zh: '等级调整', en: 'Grade changed' }, minMonths: 0 },
    public: true,
    statementDays: 5,
  },
];

export interface ListSeedSummary {
  created: string[];
  versioned: string[];
}

/**
 * Makes the seeded list types present; safe to run at every start (inside a transaction). A seeded
 * type whose text changed in a newer release gets a new version unless an administrator has
 * versioned it since.
 */
export async function seedListTypes(ctx: Ctx): Promise<ListSeedSummary> {
  const sctx: Ctx = { ...ctx, actor: LIST_SEED_ACTOR };
  const summary: ListSeedSummary = { created: [], versioned: [] };
  await listsRepo.lockSeed(ctx.db);
  const seeder = actorLabel(LIST_SEED_ACTOR);
  for (const input of SEED_LIST_TYPES) {
    const code = input.code as string;
    if (!(await listsRepo.typeHead(ctx.db, code))) {
      await createListType(sctx, input);
      summary.created.push(code);
      continue;
    }
    const current = await getListType(sctx, code);
    if (current.createdBy !== seeder) continue;
    const before = canonicalJson(definitionOf(current));
    const after = await versionListType(sctx, code, input);
    if (canonicalJson(definitionOf(after)) !== before) summary.versioned.push(code);
  }
  return summary;
}
