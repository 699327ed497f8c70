export { catalogRoutes } from './catalog.routes';
export {
  createCategory,
  createItem,
  createItemVersion,
  fieldsVisibleAt,
  getCategory,
  getItem,
  getItemVersion,
  isProvider,
  itemsProvidedBy,
  listCategories,
  listItems,
  providersOf,
  publicFields,
  resolveSeverity,
  setProviders,
  validatePayload,
  type Category,
  type ItemSummary,
  type ItemVersion,
} from './catalog.service';
export type { PayloadError, PayloadResult } from './catalog.validation';
export {
  NATIONAL_CATEGORIES,
  NATIONAL_ITEMS,
  seedNationalCatalog,
  SEED_ACTOR,
  type SeedSummary,
} from './catalog.seed';
export { CatalogErrors } from './catalog.errors';
export { USCC_PATTERN } from './catalog.seed-fields';
