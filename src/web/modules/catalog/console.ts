import type { ConsolePage } from '../console/types';
import { lazyPage } from '../../ui/lazyPage';

export const catalogPages: ConsolePage[] = [
  {
    path: 'catalog',
    label: { zh: '目录事项', en: 'Catalogue items' },
    roles: ['platform_admin', 'dept_officer', 'dept_reviewer', 'auditor'],
    group: 'admin',
    Component: lazyPage(() => import('./CatalogItemsPage'), 'CatalogItemsPage'),
  },
  {
    path: 'templates',
    label: { zh: '报送模板', en: 'Templates' },
    roles: ['dept_officer', 'platform_admin'],
    group: 'data',
    Component: lazyPage(() => import('./TemplatesPage'), 'TemplatesPage'),
  },
];
