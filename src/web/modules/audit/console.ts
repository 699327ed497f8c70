import type { ConsolePage } from '../console/types';
import { lazyPage } from '../../ui/lazyPage';

export const auditPages: ConsolePage[] = [
  {
    path: 'events',
    label: { zh: '事件日志', en: 'Event log' },
    roles: ['auditor', 'platform_admin'],
    group: 'audit',
    Component: lazyPage(() => import('./EventsPage'), 'EventsPage'),
  },
];
