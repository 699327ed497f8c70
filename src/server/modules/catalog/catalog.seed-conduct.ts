import type { ItemDefinition } from '../../../domain/catalog';
import {
  ALL,
  choice,
  date,
  GUOBAN_2019_35,
  GUOFA_2016_33,
  item,
  MARKET,
  OPINIONS_2025,
  ORGS,
  party,
  remark,
  text,
  uscc,
} from './catalog.seed-fields';

/*
 * Conduct and standing: contracts, commitments, evaluations, honours, voluntary information,
 * compliance and intellectual property. Field codes are this platform's own; article numbers
 * marked "(待核实)" are to be checked against the official text.
 */

function contractPerformance(): ItemDefinition {
  const p = party('HT_XDR', { nameTitle: '合同相对方名称', natural: false });
  return item({
    code: 'HTLY',
    nameZh: '合同履行信息',
    nameEn: 'Contract performance',
    categoryCode: 'CONTRACT',
    legalBasis: [
      { instrument: '《中华人民共和国民法典》', article: '第五百零九条', rank: 'law' },
      { instrument: '《中华人民共和国政府采购法》', article: '第七十七条 (待核实)', rank: 'law' },
      OPINIONS_2025,
    ],
    subjectTypes: ORGS,
    properties: {
      ...p.properties,
      HT_MC: text('合同名称', 'HT_MC', { max: 300 }),
      HT_BH: text('合同编号', 'HT_BH', { max: 100 }),
      HT_QDRQ: date('签订日期', 'HT_QDRQ'),
      HT_LYQK: choice('履约情况', 'HT_LYQK', ['按约履行', '未按约履行', '解除合同']),
      HT_WYQX: text('违约情形', 'HT_WYQX', { max: 2000 }),
      HT_RDJG: text('认定单位', 'HT_RDJG'),
      HT_RDJGDM: uscc('认定单位统一社会信用代码', 'HT_RDJGDM'),
      HT_RDWSH: text('认定文书号', 'HT_RDWSH', { max: 128 }),
      HT_RDRQ: date('认定日期', 'HT_RDRQ'),
      BZ: remark(),
    },
    required: [...p.required, 'HT_MC', 'HT_LYQK', 'HT_RDJG', 'HT_RDWSH', 'HT_RDRQ'],
    allOf: [
      {
        if: { properties: { HT_LYQK: { const: '未按约履行' } }, required: ['HT_LYQK'] },
        then: { required: ['HT_WYQX'] },
      },
    ],
    severityRule: { kind: 'derived', field: 'HT_LYQK', map: { 未按约履行: 'GENERAL' }, default: null },
    periodRule: { kind: 'fixed', months: 36 },
    keyFields: { ...p.keyFields, docNo: 'HT_RDWSH', decisionDate: 'HT_RDRQ' },
  });
}

export const COMMITMENT_TYPES = [
  '审批替代型',
  '容缺受理型',
  '证明事项告知承诺',
  '主动公示型',
  '行业自律型',
  '信用修复型',
] as const;

function commitment(): ItemDefinition {
  const p = party('CN', { nameTitle: '承诺主体名称', natural: false });
  return item({
    code: 'XYCN',
    nameZh: '信用承诺及履约信息',
    nameEn: 'Credit commitments and their fulfilment',
    categoryCode: 'COMMIT',
    legalBasis: [
      GUOBAN_2019_35,
      {
        instrument:
          '《国务院办公厅关于全面推行证明事项和涉企经营许可事项告知承诺制的指导意见》（国办发〔2020〕42号）',
        rank: 'central_policy',
      },
      {
        instrument: 'GB/T 46277-2025《经营主体信用承诺实施指南》',
        rank: 'normative_document',
        note: '国家标准 / national standard',
      },
    ],
    subjectTypes: ORGS,
    properties: {
      ...p.properties,
      CN_LX: choice('承诺类型', 'CN_LX', COMMITMENT_TYPES),
      CN_SX: text('承诺事项', 'CN_SX', { max: 300 }),
      CN_NR: text('承诺内容', 'CN_NR', { max: 4000 }),
      CN_SLDW: text('承诺受理单位', 'CN_SLDW'),
      CN_SLDWDM: uscc('承诺受理单位统一社会信用代码', 'CN_SLDWDM'),
      CN_BH: text('承诺书编号', 'CN_BH', { max: 100 }),
      CN_RQ: date('承诺日期', 'CN_RQ'),
      CN_LYZT: choice('履约状态', 'CN_LYZT', ['履约中', '已履约', '未履约', '已撤回']),
      BZ: remark(),
    },
    required: [...p.required, 'CN_LX', 'CN_SX', 'CN_NR', 'CN_SLDW', 'CN_BH', 'CN_RQ', 'CN_LYZT'],
    severityRule: { kind: 'derived', field: 'CN_LYZT', map: { 未履约: 'GENERAL' }, default: null },
    periodRule: { kind: 'fixed', months: 36 },
    keyFields: { ...p.keyFields, docNo: 'CN_BH', decisionDate: 'CN_RQ' },
  });
}

function evaluation(): ItemDefinition {
  const p = party('PJ', { nameTitle: '评价对象名称', natural: false });
  return item({
    code: 'XYPJ',
    nameZh: '信用评价结果信息',
    nameEn: 'Credit evaluation results',
    categoryCode: 'EVAL',
    legalBasis: [
      GUOBAN_2019_35,
      OPINIONS_2025,
      {
        instrument: 'GB/T 45255-2025《公共信用综合评价规范》',
        rank: 'normative_document',
        note: '国家标准 / national standard',
      },
    ],
    subjectTypes: ['ENTERPRISE', 'INDIVIDUAL_BUSINESS', 'FARMER_COOP', 'PUBLIC_INSTITUTION', 'SOCIAL_ORG'],
    properties: {
      ...p.properties,
      PJ_LX: text('评价类型', 'PJ_LX', {
        max: 100,
        description: '如 纳税信用等级评价 / e.g. tax credit rating',
      }),
      PJ_JG: text('评价结果', 'PJ_JG', { max: 50, aliases: ['评价等级', '信用等级'] }),
      PJ_ND: { ...text('评价年度', 'PJ_ND', { max: 4 }), pattern: '^[0-9]{4}$' },
      PJ_DW: text('评价单位', 'PJ_DW'),
      PJ_DWDM: uscc('评价单位统一社会信用代码', 'PJ_DWDM'),
      PJ_WH: text('评价文号', 'PJ_WH', { max: 128 }),
      PJ_RQ: date('评价日期', 'PJ_RQ'),
      PJ_YXQZ: date('有效期至', 'PJ_YXQZ', { notBefore: ['PJ_RQ'] }),
      BZ: remark(),
    },
    required: [...p.required, 'PJ_LX', 'PJ_JG', 'PJ_DW', 'PJ_WH', 'PJ_RQ', 'PJ_YXQZ'],
    // An evaluation grade is shared with departments; publication is a per-domain decision.
    shared: ['PJ_JG'],
    severityRule: { kind: 'none' },
    periodRule: { kind: 'validity', field: 'PJ_YXQZ' },
    keyFields: { ...p.keyFields, docNo: 'PJ_WH', decisionDate: 'PJ_RQ', validityEnd: 'PJ_YXQZ' },
  });
}

function honour(): ItemDefinition {
  const p = party('RY_ZT', { nameTitle: '获得荣誉主体名称' });
  return item({
    code: 'CXRY',
    nameZh: '诚实守信相关荣誉信息',
    nameEn: 'Honours for trustworthiness',
    categoryCode: 'HONOR',
    legalBasis: [GUOFA_2016_33, OPINIONS_2025],
    subjectTypes: ALL,
    properties: {
      ...p.properties,
      RY_RYMC: text('荣誉名称', 'RY_RYMC', { max: 200 }),
      RY_JB: choice('荣誉级别', 'RY_JB', ['国家级', '省级', '市级', '区县级', '其他']),
      RY_SYJG: text('授予机关', 'RY_SYJG'),
      RY_SYJGDM: uscc('授予机关统一社会信用代码', 'RY_SYJGDM'),
      RY_WH: text('授予文号', 'RY_WH', { max: 128 }),
      RY_SYRQ: date('授予日期', 'RY_SYRQ'),
      RY_YXQZ: date('有效期至', 'RY_YXQZ', {
        description: '2099-12-31 表示长期有效 / 2099-12-31 means long-term',
        notBefore: ['RY_SYRQ'],
      }),
      BZ: remark(),
    },
    required: [...p.required, 'RY_RYMC', 'RY_JB', 'RY_SYJG', 'RY_WH', 'RY_SYRQ', 'RY_YXQZ'],
    allOf: p.allOf,
    dependentRequired: p.dependentRequired,
    shared: ['RY_ZT_ZJLX'],
    severityRule: { kind: 'none' },
    periodRule: { kind: 'validity', field: 'RY_YXQZ' },
    keyFields: { ...p.keyFields, docNo: 'RY_WH', decisionDate: 'RY_SYRQ', validityEnd: 'RY_YXQZ' },
  });
}

function voluntary(): ItemDefinition {
  const p = party('ZY', { nameTitle: '提供主体名称', natural: false });
  return item({
    code: 'ZYTG',
    nameZh: '经营主体自愿提供的信用信息',
    nameEn: 'Credit information provided voluntarily',
    categoryCode: 'VOLUNTARY',
    legalBasis: [GUOBAN_2019_35],
    subjectTypes: MARKET,
    properties: {
      ...p.properties,
      ZY_XXLB: choice('信息类别', 'ZY_XXLB', ['资质证照', '市场经营', '合同履约', '社会公益', '其他']),
      ZY_NR: text('信息内容', 'ZY_NR', { max: 4000 }),
      ZY_ZMCL: text('证明材料名称', 'ZY_ZMCL', { max: 300 }),
      ZY_BH: text('登记编号', 'ZY_BH', { max: 100 }),
      ZY_TGRQ: date('提供日期', 'ZY_TGRQ'),
      ZY_HYDW: text('核验单位', 'ZY_HYDW'),
      ZY_YXQZ: date('有效期至', 'ZY_YXQZ', { notBefore: ['ZY_TGRQ'] }),
      BZ: remark(),
    },
    required: [...p.required, 'ZY_XXLB', 'ZY_NR', 'ZY_BH', 'ZY_TGRQ', 'ZY_YXQZ'],
    severityRule: { kind: 'none' },
    periodRule: { kind: 'validity', field: 'ZY_YXQZ' },
    keyFields: { ...p.keyFields, docNo: 'ZY_BH', decisionDate: 'ZY_TGRQ', validityEnd: 'ZY_YXQZ' },
  });
}

function compliance(): ItemDefinition {
  const p = party('ZF', { nameTitle: '主体名称', natural: false });
  return item({
    code: 'ZSFG',
    nameZh: '遵守法律法规情况信息',
    nameEn: 'Compliance with laws and regulations',
    categoryCode: 'COMPLIANCE',
    legalBasis: [
      OPINIONS_2025,
      {
        instrument:
          '《关于以专项信用报告替代有无违法违规记录证明的通知》（发改财金〔2025〕565号；标题待核实）',
        rank: 'normative_document',
      },
    ],
    subjectTypes: [
      'ENTERPRISE',
      'INDIVIDUAL_BUSINESS',
      'FARMER_COOP',
      'PUBLIC_INSTITUTION',
      'SOCIAL_ORG',
      'OTHER_ORG',
    ],
    properties: {
      ...p.properties,
      ZF_LY: text('领域', 'ZF_LY', {
        max: 100,
        description: '如 市场监管、税务、生态环境 / e.g. market regulation, tax, environment',
      }),
      ZF_QJQ: date('查询期间起', 'ZF_QJQ'),
      ZF_QJZ: date('查询期间止', 'ZF_QJZ', { notBefore: ['ZF_QJQ'] }),
      ZF_JG: choice('结果', 'ZF_JG', ['无违法违规记录', '有违法违规记录']),
      ZF_CJDW: text('出具单位', 'ZF_CJDW'),
      ZF_BGBH: text('报告编号', 'ZF_BGBH', { max: 100 }),
      ZF_CJRQ: date('出具日期', 'ZF_CJRQ'),
      BZ: remark(),
    },
    required: [...p.required, 'ZF_LY', 'ZF_QJQ', 'ZF_QJZ', 'ZF_JG', 'ZF_CJDW', 'ZF_BGBH', 'ZF_CJRQ'],
    severityRule: { kind: 'none' },
    periodRule: { kind: 'fixed', months: 12 },
    keyFields: { ...p.keyFields, docNo: 'ZF_BGBH', decisionDate: 'ZF_CJRQ' },
  });
}

function intellectualProperty(): ItemDefinition {
  const p = party('ZC_QLR', { nameTitle: '权利人名称' });
  return item({
    code: 'ZSCQ',
    nameZh: '知识产权信息',
    nameEn: 'Intellectual property',
    categoryCode: 'IP',
    legalBasis: [
      { instrument: '《中华人民共和国专利法》', article: '第四十二条 (待核实)', rank: 'law' },
      { instrument: '《中华人民共和国商标法》', article: '第三十九条 (待核实)', rank: 'law' },
      { instrument: '中共中央、国务院《知识产权强国建设纲要（2021－2035年）》', rank: 'central_policy' },
    ],
    subjectTypes: ALL,
    properties: {
      ...p.properties,
      ZC_LX: choice('权利类型', 'ZC_LX', [
        '发明专利',
        '实用新型专利',
        '外观设计专利',
        '注册商标',
        '地理标志',
        '集成电路布图设计',
        '植物新品种',
      ]),
      ZC_MC: text('知识产权名称', 'ZC_MC', { max: 300 }),
      ZC_H: text('专利号或注册号', 'ZC_H', { max: 100, aliases: ['专利号', '注册号'] }),
      ZC_SQRQ: date('授权（注册）日期', 'ZC_SQRQ'),
      ZC_YXQZ: date('有效期至', 'ZC_YXQZ', { notBefore: ['ZC_SQRQ'] }),
      ZC_SQJG: text('授权（注册）机关', 'ZC_SQJG'),
      ZC_FLZT: choice('法律状态', 'ZC_FLZT', ['有效', '无效', '终止', '转让']),
      BZ: remark(),
    },
    required: [...p.required, 'ZC_LX', 'ZC_MC', 'ZC_H', 'ZC_SQRQ', 'ZC_YXQZ', 'ZC_SQJG', 'ZC_FLZT'],
    allOf: p.allOf,
    dependentRequired: p.dependentRequired,
    shared: ['ZC_QLR_ZJLX'],
    severityRule: { kind: 'none' },
    periodRule: { kind: 'validity', field: 'ZC_YXQZ' },
    keyFields: { ...p.keyFields, docNo: 'ZC_H', decisionDate: 'ZC_SQRQ', validityEnd: 'ZC_YXQZ' },
  });
}

export const CONDUCT_ITEMS: readonly ItemDefinition[] = [
  contractPerformance(),
  commitment(),
  evaluation(),
  honour(),
  voluntary(),
  compliance(),
  intellectualProperty(),
];
