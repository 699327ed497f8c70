import type { ConsolePage } from '../console/types';
import { lazyPage } from '../../ui/lazyPage';

export const ingestPages: ConsolePage[] = [
  {
    path: 'upload',
    label: { zh: '上传数据', en: 'Upload data' },
    roles: ['dept_officer', 'platform_admin'],
    group: 'data',
    Component: lazyPage(() => import('./UploadPage'), 'UploadPage'),
  },
  {
    path: 'batches',
    label: { zh: '报送批次', en: 'Batches' },
    roles: ['dept_officer', 'platform_admin'],
    group: 'data',
    Component: lazyPage(() => import('./BatchesPage'), 'BatchesPage'),
  },
];
