import { defineErrors } from '../../platform/errors';

export const CatalogErrors = defineErrors({
  CATALOG_ITEM_INVALID: {
    kind: 'bad_request',
    zh: '目录事项定义不合法：{first}',
    en: 'Invalid catalogue item definition: {firstEn}',
  },
  CATALOG_ITEM_EXISTS: {
    kind: 'conflict',
    zh: '目录事项 {code} 已存在',
    en: 'Catalogue item {code} already exists',
  },
  CATALOG_ITEM_NOT_FOUND: { kind: 'not_found', zh: '目录事项 {code} 不存在', en: 'No catalogue item {code}' },
  CATALOG_VERSION_NOT_FOUND: {
    kind: 'not_found',
    zh: '目录事项 {code} 没有第 {version} 版',
    en: 'Catalogue item {code} has no version {version}',
  },
  CATEGORY_NOT_FOUND: {
    kind: 'not_found',
    zh: '目录类别 {category} 不存在',
    en: 'No catalogue category {category}',
  },
  CATEGORY_EXISTS: {
    kind: 'conflict',
    zh: '目录类别 {category} 已存在',
    en: 'Catalogue category {category} already exists',
  },
  SEVERITY_REQUIRED: {
    kind: 'bad_request',
    zh: '目录事项 {code} 要求报送部门认定严重程度（MINOR 轻微 / GENERAL 一般 / SERIOUS 严重）',
    en: 'Catalogue item {code} needs the department to declare a severity (MINOR / GENERAL / SERIOUS)',
  },
  SEVERITY_INVALID: {
    kind: 'bad_request',
    zh: '严重程度“{severity}”无效，应为 MINOR、GENERAL 或 SERIOUS',
    en: 'Severity "{severity}" is invalid; use MINOR, GENERAL or SERIOUS',
  },
});
