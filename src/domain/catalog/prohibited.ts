/**
 * Data that may never be catalogued as public credit information. Sources: 《征信业管理条例》
 * Art. 14 (religion, genes, fingerprints, blood type, disease and medical history; income, deposits,
 * securities, commercial insurance, real estate and tax amounts), local public-credit regulations
 * (ethnicity, race, family background, political belief, body shape, social-insurance amounts) and
 * PIPL Art. 28 (biometrics, medical data). REFERENCE §3.3, §12.1.
 *
 * A field is prohibited when its `x-data-category` names one of these categories (or an alias), or
 * when its key, title, description or aliases contain a keyword. Keywords are chosen to avoid the
 * real 双公示 fields: 税务登记号, 罚款金额 and 没收违法所得 contain none of them; `except` phrases are
 * removed before matching (营业收入 is enterprise turnover, not personal income).
 */
export interface ProhibitedCategory {
  code: string;
  zh: string;
  en: string;
  /** Other `x-data-category` values that mean this category. */
  aliases: readonly string[];
  keywordsZh: readonly string[];
  /** Lower-case words or phrases, matched on whole words (a trailing plural "s" is allowed). */
  keywordsEn: readonly string[];
  /** Phrases removed from the text before keywords are matched. */
  exceptZh?: readonly string[];
  exceptEn?: readonly string[];
  source: string;
}

const CREDIT_REPORTING_14 = '《征信业管理条例》第十四条';
const LOCAL_RULES = '地方公共信用信息管理条例（禁止采集条款）';

export const PROHIBITED_DATA_CATEGORIES: readonly ProhibitedCategory[] = [
  {
    code: 'religion',
    zh: '宗教信仰',
    en: 'religious belief',
    aliases: ['religious_belief', 'faith'],
    keywordsZh: ['宗教', '信教', '教派'],
    keywordsEn: ['religion', 'religious', 'religious belief'],
    source: CREDIT_REPORTING_14,
  },
  {
    code: 'ethnicity',
    zh: '民族、种族',
    en: 'ethnicity and race',
    aliases: ['race', 'ethnic_origin', 'nationality_ethnic'],
    keywordsZh: ['民族', '种族', '族别'],
    keywordsEn: ['ethnicity', 'ethnic', 'ethnic group', 'race', 'racial'],
    source: LOCAL_RULES,
  },
  {
    code: 'family_background',
    zh: '家庭出身',
    en: 'family background',
    aliases: ['family_origin'],
    keywordsZh: ['家庭出身', '家庭背景', '家庭成分', '出身成分'],
    keywordsEn: ['family background', 'family origin', 'class origin'],
    source: LOCAL_RULES,
  },
  {
    code: 'political_belief',
    zh: '政治信仰',
    en: 'political belief',
    aliases: ['political_opinion', 'political_affiliation'],
    keywordsZh: ['政治信仰', '政治面貌', '政治倾向', '政治观点', '党派'],
    keywordsEn: ['political belief', 'political opinion', 'political affiliation', 'party membership'],
    source: LOCAL_RULES,
  },
  {
    code: 'body_shape',
    zh: '体型',
    en: 'body shape',
    aliases: ['physical_characteristics'],
    keywordsZh: ['体型', '身高', '体重', '体貌', '三围'],
    keywordsEn: ['body shape', 'body type', 'body height', 'body weight', 'physique'],
    source: LOCAL_RULES,
  },
  {
    code: 'genetic',
    zh: '基因',
    en: 'genetic data',
    aliases: ['genes', 'gene', 'dna'],
    keywordsZh: ['基因', '遗传信息'],
    keywordsEn: ['gene', 'genetic', 'genome', 'dna'],
    source: CREDIT_REPORTING_14,
  },
  {
    code: 'biometric',
    zh: '指纹等生物识别信息',
    en: 'fingerprints and other biometrics',
    aliases: ['fingerprint', 'face', 'facial', 'iris', 'voiceprint', 'biometrics'],
    keywordsZh: [
      '指纹',
      '掌纹',
      '人脸',
      '面部特征',
      '面部识别',
      '虹膜',
      '声纹',
      '步态',
      '生物识别',
      '生物特征',
    ],
    keywordsEn: [
      'fingerprint',
      'biometric',
      'face image',
      'facial',
      'face recognition',
      'iris',
      'voiceprint',
      'palm print',
      'gait',
    ],
    source: `${CREDIT_REPORTING_14}；《个人信息保护法》第二十八条`,
  },
  {
    code: 'blood_type',
    zh: '血型',
    en: 'blood type',
    aliases: ['blood_group'],
    keywordsZh: ['血型'],
    keywordsEn: ['blood type', 'blood group'],
    source: CREDIT_REPORTING_14,
  },
  {
    code: 'health',
    zh: '疾病、病史等健康信息',
    en: 'disease, medical history and other health data',
    aliases: ['medical', 'medical_history', 'disease'],
    keywordsZh: ['疾病', '病史', '病历', '病情', '健康状况', '健康信息', '健康档案', '诊断', '就诊', '体检'],
    keywordsEn: [
      'disease',
      'illness',
      'medical history',
      'medical record',
      'medical condition',
      'diagnosis',
      'health status',
      'health condition',
      'health record',
      'health data',
      'health information',
    ],
    source: CREDIT_REPORTING_14,
  },
  {
    code: 'income',
    zh: '收入',
    en: 'income',
    aliases: ['salary', 'wages'],
    keywordsZh: ['收入', '薪酬', '薪资', '薪金', '年薪', '月薪'],
    keywordsEn: ['income', 'salary', 'earnings', 'wage level'],
    exceptZh: ['营业收入', '主营业务收入', '违法收入', '财政收入'],
    exceptEn: ['income tax', 'operating income', 'business income', 'illegal income'],
    source: CREDIT_REPORTING_14,
  },
  {
    code: 'deposits',
    zh: '存款',
    en: 'savings and deposits',
    aliases: ['savings', 'bank_balance'],
    keywordsZh: ['存款', '储蓄', '账户余额'],
    keywordsEn: ['savings', 'bank deposit', 'savings deposit', 'account balance', 'bank balance'],
    exceptZh: ['公众存款'],
    source: CREDIT_REPORTING_14,
  },
  {
    code: 'securities',
    zh: '有价证券',
    en: 'securities holdings',
    aliases: ['stocks', 'securities_holdings'],
    keywordsZh: [
      '证券资产',
      '证券账户',
      '持有证券',
      '证券持有',
      '有价证券',
      '股票账户',
      '持股市值',
      '个人持股',
    ],
    keywordsEn: [
      'securities holding',
      'securities account',
      'securities asset',
      'stock account',
      'brokerage account',
    ],
    source: CREDIT_REPORTING_14,
  },
  {
    code: 'commercial_insurance',
    zh: '商业保险',
    en: 'commercial insurance',
    aliases: ['insurance'],
    keywordsZh: ['商业保险', '保单', '保险单', '人寿保险', '寿险'],
    keywordsEn: ['commercial insurance', 'insurance policy', 'life insurance'],
    source: CREDIT_REPORTING_14,
  },
  {
    code: 'real_estate',
    zh: '不动产',
    en: 'real estate',
    aliases: ['property', 'real_property'],
    keywordsZh: ['不动产', '房产', '房屋产权', '名下房屋', '个人住房'],
    keywordsEn: ['real estate', 'real property', 'property holding', 'home ownership'],
    exceptZh: ['不动产登记机构', '不动产登记中心'],
    source: CREDIT_REPORTING_14,
  },
  {
    code: 'tax_amount',
    zh: '纳税额',
    en: 'tax amounts paid',
    aliases: ['tax_paid'],
    keywordsZh: ['纳税额', '纳税金额', '纳税总额', '缴税金额', '缴纳税款金额', '完税金额'],
    keywordsEn: ['tax paid', 'taxes paid', 'tax payment amount', 'amount of tax paid'],
    source: CREDIT_REPORTING_14,
  },
  {
    code: 'social_insurance_amount',
    zh: '社保缴费金额',
    en: 'social-insurance contribution amounts',
    aliases: ['social_security_amount'],
    keywordsZh: ['社保缴费', '社会保险缴费', '缴费基数', '社保缴纳金额', '公积金缴存'],
    keywordsEn: ['social insurance contribution', 'social security contribution', 'contribution base'],
    source: LOCAL_RULES,
  },
];

const BY_CODE = new Map<string, ProhibitedCategory>();
for (const c of PROHIBITED_DATA_CATEGORIES) {
  BY_CODE.set(c.code, c);
  for (const a of c.aliases) BY_CODE.set(a, c);
}

/** The category a declared `x-data-category` value falls in (case and `-`/`_` insensitive). */
export function prohibitedCategoryOf(dataCategory: string): ProhibitedCategory | null {
  return (
    BY_CODE.get(
      dataCategory
        .trim()
        .toLowerCase()
        .replace(/[-\s]+/g, '_'),
    ) ?? null
  );
}

export interface FieldDescriptor {
  key: string;
  title?: string;
  description?: string;
  aliases?: readonly string[];
  dataCategory?: string;
}

export interface ProhibitedMatch {
  category: ProhibitedCategory;
  /** How it was found: a declared `x-data-category`, or a keyword in the text. */
  by: 'declared' | 'keyword';
  keyword?: string;
}

function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

function containsPhrase(tokens: readonly string[], phrase: string): boolean {
  const p = phrase.split(' ');
  const last = p.length - 1;
  outer: for (let i = 0; i + p.length <= tokens.length; i++) {
    for (let j = 0; j < p.length; j++) {
      const t = tokens[i + j] as string;
      const w = p[j] as string;
      if (t !== w && !(j === last && t === `${w}s`)) continue outer;
    }
    return true;
  }
  return false;
}

/** Whether a field describes prohibited data, and why. */
export function findProhibited(field: FieldDescriptor): ProhibitedMatch | null {
  if (field.dataCategory) {
    const category = prohibitedCategoryOf(field.dataCategory);
    if (category) return { category, by: 'declared' };
  }
  const texts = [field.key, field.title ?? '', field.description ?? '', ...(field.aliases ?? [])].filter(
    Boolean,
  );
  for (const category of PROHIBITED_DATA_CATEGORIES) {
    for (const raw of texts) {
      let text = raw;
      for (const ex of category.exceptZh ?? []) text = text.split(ex).join(' ');
      const hit = category.keywordsZh.find((k) => text.includes(k));
      if (hit) return { category, by: 'keyword', keyword: hit };
    }
    for (const raw of texts) {
      let joined = ` ${words(raw).join(' ')} `;
      for (const ex of category.exceptEn ?? []) joined = joined.split(` ${ex} `).join(' ');
      const t = joined.split(' ').filter(Boolean);
      const hit = category.keywordsEn.find((k) => containsPhrase(t, k));
      if (hit) return { category, by: 'keyword', keyword: hit };
    }
  }
  return null;
}
