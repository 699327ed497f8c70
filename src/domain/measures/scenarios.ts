import type { Bilingual } from '../i18n';

export interface Scenario {
  code: string;
  name: Bilingual;
  sort: number;
}

/**
 * Where measures are applied (the seeded table; administrators may add more). The first seven are
 * the fields of the 2025 opinion (十二) for subjects on serious-dishonesty lists.
 */
export const SCENARIOS: readonly Scenario[] = [
  { code: 'GOV_FUNDS', name: { zh: '申请政府资金', en: 'Applying for government funds' }, sort: 10 },
  { code: 'TAX_PREFERENCE', name: { zh: '享受税收优惠', en: 'Tax preferences' }, sort: 20 },
  {
    code: 'PUBLIC_RESOURCE_TRADING',
    name: { zh: '参与公共资源交易', en: 'Public resource trading' },
    sort: 30,
  },
  { code: 'GOV_PROCUREMENT', name: { zh: '参与政府采购', en: 'Government procurement' }, sort: 40 },
  { code: 'SECURITIES_ISSUANCE', name: { zh: '股票债券发行', en: 'Share and bond issuance' }, sort: 50 },
  { code: 'AWARDS', name: { zh: '评先评优', en: 'Awards and honours' }, sort: 60 },
  {
    code: 'CIVIL_SERVICE',
    name: { zh: '公务员录用遴选调任聘任', en: 'Civil-service recruitment, selection and transfer' },
    sort: 70,
  },
  {
    code: 'PUBLIC_INSTITUTION_HIRING',
    name: { zh: '事业单位公开招聘', en: 'Public-institution recruitment' },
    sort: 80,
  },
  {
    code: 'ADMIN_APPROVAL',
    name: { zh: '行政审批（含容缺受理、告知承诺）', en: 'Administrative approval (incl. fast track)' },
    sort: 90,
  },
  { code: 'MARKET_ACCESS', name: { zh: '市场准入、行业准入', en: 'Market and industry access' }, sort: 100 },
  { code: 'TENDERING', name: { zh: '招标投标', en: 'Tendering and bidding' }, sort: 110 },
  {
    code: 'OFFICER_APPOINTMENT',
    name: {
      zh: '担任法定代表人、董事、监事、高级管理人员',
      en: 'Serving as legal representative or officer',
    },
    sort: 120,
  },
  { code: 'HIGH_CONSUMPTION', name: { zh: '高消费及非生活工作必需消费', en: 'High consumption' }, sort: 130 },
  { code: 'EXIT_COUNTRY', name: { zh: '出境', en: 'Leaving the country' }, sort: 140 },
  {
    code: 'SUPERVISION',
    name: { zh: '日常监管与检查', en: 'Routine supervision and inspections' },
    sort: 150,
  },
  { code: 'FINANCING', name: { zh: '融资信贷、保险', en: 'Financing, credit and insurance' }, sort: 160 },
];
