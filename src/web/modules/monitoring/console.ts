import type { ConsolePage } from '../console/types';
import { lazyPage } from '../../ui/lazyPage';

export const monitoringPages: ConsolePage[] = [
  {
    path: 'quality',
    label: { zh: '数据质量评分', en: 'Quality scorecard' },
    roles: ['dept_officer', 'dept_reviewer', 'platform_admin'],
    group: 'data',
    Component: lazyPage(() => import('./QualityPage'), 'QualityPage'),
  },
];
