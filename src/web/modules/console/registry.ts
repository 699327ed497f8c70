import { accountsPages } from '../accounts/console';
import { auditPages } from '../audit/console';
import { catalogPages } from '../catalog/console';
import { ingestPages } from '../ingest/console';
import { monitoringPages } from '../monitoring/console';
import { recordsPages } from '../records/console';
import { remediesPages } from '../remedies/console';
import { feedPages } from '../feed/console';
import { listsPages } from '../lists/console';
import { measuresPages } from '../measures/console';
import { mePages } from '../me/console';
import type { Role } from '../../api/types';
import type { Msg } from '../../i18n/lang';
import type { ConsolePage } from './types';

/**
 * Every console page, declared by its module. A new capability (lists, repair, evaluation, …)
 * adds its `<module>/console.ts` here; menu and routes follow.
 */
export const CONSOLE_PAGES: readonly ConsolePage[] = [
  ...ingestPages,
  ...recordsPages,
  ...catalogPages,
  ...monitoringPages,
  ...accountsPages,
  ...auditPages,
  ...remediesPages,
  ...feedPages,
  ...listsPages,
  ...measuresPages,
  ...mePages,
];

export const GROUP_LABELS: Record<ConsolePage['group'], Msg> = {
  data: { zh: '数据报送', en: 'Data' },
  admin: { zh: '平台管理', en: 'Administration' },
  audit: { zh: '审计', en: 'Audit' },
};

/** The pages a user with `roles` may open. */
export function pagesFor(
  roles: readonly Role[],
  pages: readonly ConsolePage[] = CONSOLE_PAGES,
): ConsolePage[] {
  return pages.filter((p) => p.roles.some((r) => roles.includes(r)));
}
