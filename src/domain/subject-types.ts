/**
 * Subject types of the 2025 opinion. A type is derived from the USCC where one exists
 * (see identifiers/uscc.ts), otherwise declared at registration.
 */
export const SUBJECT_TYPES = [
  'ENTERPRISE',
  'INDIVIDUAL_BUSINESS',
  'FARMER_COOP',
  'GOVERNMENT',
  'PUBLIC_INSTITUTION',
  'SOCIAL_ORG',
  'OTHER_ORG',
  'NATURAL_PERSON',
] as const;

export type SubjectType = (typeof SUBJECT_TYPES)[number];

export const SUBJECT_TYPE_LABELS: Record<SubjectType, { zh: string; en: string }> = {
  ENTERPRISE: { zh: '企业', en: 'Enterprise' },
  INDIVIDUAL_BUSINESS: { zh: '个体工商户', en: 'Individual business' },
  FARMER_COOP: { zh: '农民专业合作社', en: 'Farmer co-operative' },
  GOVERNMENT: { zh: '机关', en: 'Government body' },
  PUBLIC_INSTITUTION: { zh: '事业单位', en: 'Public institution' },
  SOCIAL_ORG: { zh: '社会组织', en: 'Social organisation' },
  OTHER_ORG: { zh: '其他组织', en: 'Other organisation' },
  NATURAL_PERSON: { zh: '自然人', en: 'Natural person' },
};

export function isSubjectType(v: string): v is SubjectType {
  return (SUBJECT_TYPES as readonly string[]).includes(v);
}
