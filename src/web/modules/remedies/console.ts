import type { ConsolePage } from '../console/types';
import { lazyPage } from '../../ui/lazyPage';

export const remediesPages: ConsolePage[] = [
  {
    path: 'my-remedies',
    label: { zh: '信用修复与异议', en: 'Repair and objections' },
    roles: ['subject'],
    group: 'data',
    Component: lazyPage(() => import('./MyRemediesPage'), 'MyRemediesPage'),
  },
  {
    path: 'remedies-queue',
    label: { zh: '修复与异议待办', en: 'Repairs to handle' },
    roles: ['platform_admin', 'dept_reviewer', 'dept_officer', 'auditor'],
    group: 'data',
    Component: lazyPage(() => import('./RepairQueuePage'), 'RepairQueuePage'),
  },
];
