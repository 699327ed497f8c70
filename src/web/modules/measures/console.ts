import type { ConsolePage } from '../console/types';
import { lazyPage } from '../../ui/lazyPage';

export const measuresPages: ConsolePage[] = [
  {
    path: 'measures',
    label: { zh: '奖惩措施与核查', en: 'Measures and checks' },
    roles: ['platform_admin', 'dept_officer', 'dept_reviewer', 'auditor'],
    group: 'admin',
    Component: lazyPage(() => import('./MeasuresConsole'), 'MeasuresConsole'),
  },
];
