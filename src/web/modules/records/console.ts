import type { ConsolePage } from '../console/types';
import { lazyPage } from '../../ui/lazyPage';

export const recordsPages: ConsolePage[] = [
  {
    path: 'records',
    label: { zh: '信用记录', en: 'Records' },
    roles: ['dept_officer', 'dept_reviewer', 'platform_admin', 'auditor'],
    group: 'data',
    Component: lazyPage(() => import('./RecordsPage'), 'RecordsPage'),
  },
];
