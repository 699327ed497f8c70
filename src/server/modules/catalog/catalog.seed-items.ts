import type { ItemDefinition } from '../../../domain/catalog';
import {
  ALL,
  amount,
  choice,
  choices,
  CIVIL_PROCEDURE,
  date,
  GUOBAN_2019_35,
  item,
  MARKET,
  OPINIONS_2025,
  party,
  remark,
  text,
  uscc,
} from './catalog.seed-fields';

/*
 * Registers and lists: registration, court enforcement, the dishonest-debtor list, administrative
 * coercion, vocational qualifications and the abnormal-operation list. Field codes with these
 * prefixes are this platform's own (no national column standard was found for them). Article
 * numbers marked "(待核实)" are to be checked against the official text.
 */

function registration(): ItemDefinition {
  const p = party('DJ', { nameTitle: '名称', natural: false });
  return item({
    code: 'DJZC',
    nameZh: '登记注册基本信息',
    nameEn: 'Registration information',
    categoryCode: 'REG',
    legalBasis: [
      {
        instrument: '《中华人民共和国市场主体登记管理条例》（国务院令第746号）',
        rank: 'administrative_regulation',
      },
      {
        instrument: '《企业信息公示暂行条例》',
        article: '第六条 (待核实)',
        rank: 'administrative_regulation',
      },
    ],
    subjectTypes: MARKET,
    properties: {
      ...p.properties,
      DJ_ZTLX: text('主体类型', 'DJ_ZTLX', { max: 100, aliases: ['企业类型', '类型'] }),
      DJ_FDDBR: text('法定代表人（负责人、经营者）', 'DJ_FDDBR', {
        max: 100,
        aliases: ['法定代表人', '负责人', '经营者'],
      }),
      DJ_CLRQ: date('成立日期', 'DJ_CLRQ'),
      DJ_DJJG: text('登记机关', 'DJ_DJJG'),
      DJ_ZS: text('住所（经营场所）', 'DJ_ZS', { max: 500, aliases: ['住所', '经营场所'] }),
      DJ_JYFW: text('经营范围', 'DJ_JYFW', { max: 4000 }),
      DJ_ZCZB: amount('注册资本（万元）', 'DJ_ZCZB', { aliases: ['注册资本'] }),
      DJ_DJZT: choice('登记状态', 'DJ_DJZT', ['存续', '迁出', '停业', '吊销', '注销', '撤销'], {
        valueAliases: { 在业: '存续', 在营: '存续', 开业: '存续', 在册: '存续' },
      }),
      DJ_HZRQ: date('核准日期', 'DJ_HZRQ'),
      BZ: remark(),
    },
    required: [...p.required, 'DJ_ZTLX', 'DJ_FDDBR', 'DJ_CLRQ', 'DJ_DJJG', 'DJ_DJZT'],
    severityRule: { kind: 'none' },
    periodRule: { kind: 'permanent' },
    keyFields: { ...p.keyFields, docNo: 'DJ_SHXYM', decisionDate: 'DJ_CLRQ' },
  });
}

function judgmentDebtor(): ItemDefinition {
  const p = party('SF_BZXR', { nameTitle: '被执行人名称' });
  return item({
    code: 'BZXR',
    nameZh: '被执行人信息',
    nameEn: 'Judgment debtors under enforcement',
    categoryCode: 'JUD',
    legalBasis: [
      CIVIL_PROCEDURE,
      {
        instrument: '《最高人民法院关于人民法院执行公开的若干规定》（法发〔2006〕35号）',
        rank: 'normative_document',
        note: '司法文件，不在本位阶表内 / a judicial document outside this rank table',
      },
    ],
    subjectTypes: ALL,
    properties: {
      ...p.properties,
      SF_AH: text('案号', 'SF_AH', { max: 100, aliases: ['执行案号'] }),
      SF_ZXFY: text('执行法院', 'SF_ZXFY'),
      SF_LARQ: date('立案日期', 'SF_LARQ'),
      SF_ZXBD: amount('执行标的（万元）', 'SF_ZXBD', { aliases: ['执行标的'] }),
      SF_AJZT: choice('案件状态', 'SF_AJZT', ['执行中', '终结本次执行程序', '执行完毕', '终结执行']),
      BZ: remark(),
    },
    required: [...p.required, 'SF_AH', 'SF_ZXFY', 'SF_LARQ', 'SF_AJZT'],
    allOf: p.allOf,
    dependentRequired: p.dependentRequired,
    shared: ['SF_BZXR_ZJLX'],
    severityRule: { kind: 'none' },
    periodRule: { kind: 'permanent' },
    keyFields: { ...p.keyFields, docNo: 'SF_AH', decisionDate: 'SF_LARQ' },
  });
}

const DISHONEST_SITUATIONS = [
  '有履行能力而拒不履行生效法律文书确定义务',
  '以伪造证据、暴力、威胁等方法妨碍、抗拒执行',
  '以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行',
  '违反财产报告制度',
  '违反限制消费令',
  '无正当理由拒不履行执行和解协议',
] as const;

function dishonestDebtor(): ItemDefinition {
  const p = party('SX', { nameTitle: '失信被执行人名称' });
  return item({
    code: 'SXBZXR',
    nameZh: '失信被执行人名单信息',
    nameEn: 'List of dishonest judgment debtors',
    categoryCode: 'SERIOUS',
    legalBasis: [
      CIVIL_PROCEDURE,
      {
        instrument:
          '《最高人民法院关于公布失信被执行人名单信息的若干规定》（2017年修正，法释〔2017〕7号 (待核实)）',
        article: '第一条',
        rank: 'normative_document',
        note: '司法解释，不在本位阶表内 / a judicial interpretation outside this rank table',
      },
      OPINIONS_2025,
    ],
    subjectTypes: ALL,
    properties: {
      ...p.properties,
      SX_FDDBR: text('法定代表人或者负责人姓名', 'SX_FDDBR', { max: 100, aliases: ['法定代表人'] }),
      SX_AH: text('案号', 'SX_AH', { max: 100 }),
      SX_ZXFY: text('执行法院', 'SX_ZXFY'),
      SX_ZXYJWH: text('执行依据文号', 'SX_ZXYJWH', { max: 100 }),
      SX_ZCZXYJDW: text('作出执行依据单位', 'SX_ZCZXYJDW'),
      SX_YW: text('生效法律文书确定的义务', 'SX_YW', { max: 4000 }),
      SX_LXQK: choice('被执行人的履行情况', 'SX_LXQK', ['全部未履行', '部分未履行']),
      SX_QX: choices('失信被执行人行为具体情形', 'SX_QX', DISHONEST_SITUATIONS),
      SX_LARQ: date('立案日期', 'SX_LARQ'),
      SX_FBRQ: date('发布日期', 'SX_FBRQ'),
      BZ: remark(),
    },
    required: [
      ...p.required,
      'SX_AH',
      'SX_ZXFY',
      'SX_ZXYJWH',
      'SX_ZCZXYJDW',
      'SX_YW',
      'SX_LXQK',
      'SX_QX',
      'SX_FBRQ',
    ],
    allOf: p.allOf,
    dependentRequired: p.dependentRequired,
    shared: ['SX_ZJLX'],
    severityRule: { kind: 'none' },
    // Listed until the court deletes the entry (a stop); 2-year terms are kept by the court.
    periodRule: { kind: 'permanent' },
    keyFields: { ...p.keyFields, docNo: 'SX_AH', decisionDate: 'SX_FBRQ' },
  });
}

const COERCION_TYPES = [
  '限制公民人身自由',
  '查封场所、设施或者财物',
  '扣押财物',
  '冻结存款、汇款',
  '加处罚款或者滞纳金',
  '划拨存款、汇款',
  '拍卖或者依法处理查封、扣押的场所、设施或者财物',
  '排除妨碍、恢复原状',
  '代履行',
  '其他',
] as const;

function coercion(): ItemDefinition {
  const p = party('QZ_XDR');
  return item({
    code: 'XZQZ',
    nameZh: '行政强制信息',
    nameEn: 'Administrative coercion',
    categoryCode: 'ADM',
    legalBasis: [
      { instrument: '《中华人民共和国行政强制法》', article: '第九条、第十二条', rank: 'law' },
      GUOBAN_2019_35,
    ],
    subjectTypes: ALL,
    properties: {
      ...p.properties,
      QZ_WSH: text('行政强制决定书文号', 'QZ_WSH', { max: 128 }),
      QZ_LB: choice('行政强制类别', 'QZ_LB', COERCION_TYPES),
      QZ_SY: text('强制事由', 'QZ_SY', { max: 4000 }),
      QZ_YJ: text('强制依据', 'QZ_YJ', { max: 2000 }),
      QZ_NR: text('强制内容', 'QZ_NR', { max: 4000 }),
      QZ_JDRQ: date('决定日期', 'QZ_JDRQ'),
      QZ_QXZ: date('强制期限至', 'QZ_QXZ', { notBefore: ['QZ_JDRQ'] }),
      QZ_JG: text('实施机关', 'QZ_JG'),
      QZ_JGDM: uscc('实施机关统一社会信用代码', 'QZ_JGDM'),
      BZ: remark(),
    },
    required: [...p.required, 'QZ_WSH', 'QZ_LB', 'QZ_SY', 'QZ_YJ', 'QZ_NR', 'QZ_JDRQ', 'QZ_JG', 'QZ_JGDM'],
    allOf: p.allOf,
    dependentRequired: p.dependentRequired,
    shared: ['QZ_XDR_ZJLX'],
    severityRule: { kind: 'declared' },
    periodRule: { kind: 'severity' },
    keyFields: { ...p.keyFields, docNo: 'QZ_WSH', decisionDate: 'QZ_JDRQ' },
  });
}

function qualification(): ItemDefinition {
  return item({
    code: 'ZYZG',
    nameZh: '职业资格信息',
    nameEn: 'Vocational qualifications',
    categoryCode: 'QUAL',
    legalBasis: [
      { instrument: '《中华人民共和国劳动法》', article: '第六十九条 (待核实)', rank: 'law' },
      OPINIONS_2025,
      { instrument: '《国家职业资格目录（2021年版）》', rank: 'normative_document' },
    ],
    subjectTypes: ['NATURAL_PERSON'],
    properties: {
      ZG_XM: text('姓名', 'ZG_XM', { max: 100, aliases: ['持证人姓名'] }),
      ZG_ZJLX: choice('证件类型', 'ZG_ZJLX', [
        '身份证',
        '护照',
        '港澳居民来往内地通行证',
        '台湾居民来往大陆通行证',
        '外国人永久居留身份证',
      ]),
      ZG_ZJHM: {
        ...text('证件号码', 'ZG_ZJHM', { max: 40 }),
        'x-sensitive': true,
        'x-data-category': 'identity_document',
      },
      ZG_ZGMC: text('资格名称', 'ZG_ZGMC'),
      ZG_ZGLB: choice('资格类别', 'ZG_ZGLB', ['准入类', '水平评价类']),
      ZG_ZGJB: text('资格等级', 'ZG_ZGJB', { max: 50 }),
      ZG_ZSBH: text('证书编号', 'ZG_ZSBH', { max: 100 }),
      ZG_FZJG: text('发证机关', 'ZG_FZJG'),
      ZG_FZRQ: date('发证日期', 'ZG_FZRQ'),
      ZG_YXQZ: date('有效期至', 'ZG_YXQZ', {
        description: '2099-12-31 表示长期有效 / 2099-12-31 means long-term',
        notBefore: ['ZG_FZRQ'],
      }),
      ZG_ZT: choice('证书状态', 'ZG_ZT', ['有效', '注销', '吊销', '撤销']),
      BZ: remark(),
    },
    required: [
      'ZG_XM',
      'ZG_ZJLX',
      'ZG_ZJHM',
      'ZG_ZGMC',
      'ZG_ZGLB',
      'ZG_ZSBH',
      'ZG_FZJG',
      'ZG_FZRQ',
      'ZG_YXQZ',
      'ZG_ZT',
    ],
    allOf: [
      {
        if: { properties: { ZG_ZJLX: { const: '身份证' } }, required: ['ZG_ZJLX'] },
        then: { properties: { ZG_ZJHM: { pattern: '^[0-9]{17}[0-9Xx]$' } } },
      },
    ],
    shared: ['ZG_ZJLX'],
    severityRule: { kind: 'none' },
    periodRule: { kind: 'validity', field: 'ZG_YXQZ' },
    keyFields: {
      docNo: 'ZG_ZSBH',
      decisionDate: 'ZG_FZRQ',
      subjectName: 'ZG_XM',
      subjectIdType: 'ZG_ZJLX',
      subjectIdNo: 'ZG_ZJHM',
      validityEnd: 'ZG_YXQZ',
    },
  });
}

function abnormalOperation(): ItemDefinition {
  const p = party('YC', { nameTitle: '名称', natural: false });
  return item({
    code: 'JYYC',
    nameZh: '经营异常名录信息',
    nameEn: 'List of abnormal operations',
    categoryCode: 'ABN',
    legalBasis: [
      {
        instrument: '《企业信息公示暂行条例》',
        article: '第十七条 (待核实)',
        rank: 'administrative_regulation',
      },
      {
        instrument: '《企业经营异常名录管理暂行办法》（原国家工商行政管理总局令第68号）',
        rank: 'departmental_rule',
      },
    ],
    subjectTypes: MARKET,
    properties: {
      ...p.properties,
      YC_LRYY: choice('列入经营异常名录原因', 'YC_LRYY', [
        '未按照规定期限公示年度报告',
        '未在责令的期限内公示有关企业信息',
        '公示企业信息隐瞒真实情况、弄虚作假',
        '通过登记的住所或者经营场所无法联系',
      ]),
      YC_LRRQ: date('列入日期', 'YC_LRRQ'),
      YC_JDWSH: text('列入决定书文号', 'YC_JDWSH', { max: 128 }),
      YC_ZCJDJG: text('作出决定机关', 'YC_ZCJDJG'),
      YC_ZCJDJGDM: uscc('作出决定机关统一社会信用代码', 'YC_ZCJDJGDM'),
      BZ: remark(),
    },
    required: [...p.required, 'YC_LRYY', 'YC_LRRQ', 'YC_JDWSH', 'YC_ZCJDJG'],
    severityRule: { kind: 'none' },
    // Held until the subject is removed from the list (a stop).
    periodRule: { kind: 'permanent' },
    keyFields: { ...p.keyFields, docNo: 'YC_JDWSH', decisionDate: 'YC_LRRQ' },
  });
}

export const REGISTER_ITEMS: readonly ItemDefinition[] = [
  registration(),
  judgmentDebtor(),
  coercion(),
  qualification(),
  abnormalOperation(),
  dishonestDebtor(),
];
