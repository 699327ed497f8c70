import type { ConsolePage } from '../console/types';
import { lazyPage } from '../../ui/lazyPage';

export const accountsPages: ConsolePage[] = [
  {
    path: 'departments',
    label: { zh: '部门管理', en: 'Departments' },
    roles: ['platform_admin'],
    group: 'admin',
    Component: lazyPage(() => import('./DepartmentsPage'), 'DepartmentsPage'),
  },
  {
    path: 'users',
    label: { zh: '用户与角色', en: 'Users and roles' },
    roles: ['platform_admin'],
    group: 'admin',
    Component: lazyPage(() => import('./UsersPage'), 'UsersPage'),
  },
  {
    path: 'api-keys',
    label: { zh: 'API 密钥', en: 'API keys' },
    roles: ['platform_admin'],
    group: 'admin',
    Component: lazyPage(() => import('./ApiKeysPage'), 'ApiKeysPage'),
  },
];
