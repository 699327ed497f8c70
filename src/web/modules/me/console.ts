import type { ConsolePage } from '../console/types';
import { lazyPage } from '../../ui/lazyPage';

export const mePages: ConsolePage[] = [
  {
    path: 'my-reads',
    label: { zh: '谁查看了我的信息', en: 'Who read my data' },
    roles: ['subject'],
    group: 'data',
    Component: lazyPage(() => import('./MyReadsPage'), 'MyReadsPage'),
  },
];
