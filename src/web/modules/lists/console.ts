import type { ConsolePage } from '../console/types';
import { lazyPage } from '../../ui/lazyPage';

export const listsPages: ConsolePage[] = [
  {
    path: 'lists',
    label: { zh: '名单办理', en: 'List procedures' },
    roles: ['dept_officer', 'dept_reviewer', 'platform_admin', 'auditor'],
    group: 'data',
    Component: lazyPage(() => import('./ListEntriesConsole'), 'ListEntriesConsole'),
  },
  {
    path: 'my-list-entries',
    label: { zh: '我的名单记录', en: 'My list entries' },
    roles: ['subject'],
    group: 'data',
    Component: lazyPage(() => import('./MyListEntriesPage'), 'MyListEntriesPage'),
  },
  {
    path: 'list-types',
    label: { zh: '名单类型', en: 'List types' },
    roles: ['platform_admin'],
    group: 'admin',
    Component: lazyPage(() => import('./ListTypesConsole'), 'ListTypesConsole'),
  },
];
