import type { ConsolePage } from '../console/types';
import { lazyPage } from '../../ui/lazyPage';

export const feedPages: ConsolePage[] = [
  {
    path: 'feed-subscriptions',
    label: { zh: '变更推送订阅', en: 'Feed subscribers' },
    roles: ['platform_admin', 'auditor'],
    group: 'admin',
    Component: lazyPage(() => import('./SubscriptionsPage'), 'SubscriptionsPage'),
  },
];
