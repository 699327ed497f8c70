import { Alert, Drawer, Table, Tag } from 'antd';
import { useState } from 'react';
import { get } from '../../api/client';
import { isMissingEndpoint } from '../../api/errors';
import type { Batch } from '../../api/types';
import { defineMessages } from '../../i18n/lang';
import { useLang } from '../../i18n/LangProvider';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { formatDateTime } from '../../ui/format';
import { common } from '../../ui/messages';
import { useAsync } from '../../ui/useAsync';
import { PageHeader } from '../console/PageHeader';
import { batchList } from './batch';
import { BatchResult, batchText } from './BatchResult';

const m = defineMessages({
  title: { zh: '报送批次', en: 'Batches' },
  lead: {
    zh: '每个批次的报送人、时间、文件及结果。部门只看到本部门的批次，平台管理员看到全部。',
    en: 'Who submitted each batch, when, which file and with what result. Departments see their own; administrators see all.',
  },
  id: { zh: '批次', en: 'Batch' },
  item: { zh: '事项', en: 'Item' },
  file: { zh: '文件', en: 'File' },
  status: { zh: '状态', en: 'Status' },
  at: { zh: '时间', en: 'When' },
});

const STATUS_COLOR: Record<Batch['status'], string> = { processing: 'blue', done: 'green', failed: 'red' };

export function BatchesPage() {
  const { t } = useLang();
  const list = useAsync(
    (signal) => get<Batch[] | { items: Batch[] }>('/api/v1/ingest/batches', { limit: 100 }, signal),
    [],
  );
  const [open, setOpen] = useState<Batch | null>(null);
  return (
    <div>
      <PageHeader title={t(m.title)}>{t(m.lead)}</PageHeader>
      {list.error && isMissingEndpoint(list.error) ? (
        <Alert type="info" showIcon title={t(common.notAvailable)} />
      ) : list.error ? (
        <ErrorAlert error={list.error} onRetry={list.reload} />
      ) : (
        <Table<Batch>
          rowKey={(b) => String(b.id)}
          loading={list.loading}
          dataSource={batchList(list.data)}
          scroll={{ x: 760 }}
          onRow={(b) => ({ onClick: () => setOpen(b), style: { cursor: 'pointer' } })}
          columns={[
            { key: 'id', title: t(m.id), render: (_, b) => String(b.id) },
            { key: 'item', title: t(m.item), dataIndex: 'itemCode' },
            { key: 'file', title: t(m.file), dataIndex: 'fileName' },
            {
              key: 'status',
              title: t(m.status),
              render: (_, b) => <Tag color={STATUS_COLOR[b.status]}>{b.status}</Tag>,
            },
            { key: 'accepted', title: t(batchText.accepted), render: (_, b) => b.counts.accepted },
            { key: 'updated', title: t(batchText.updated), render: (_, b) => b.counts.updated },
            { key: 'rejected', title: t(batchText.rejected), render: (_, b) => b.counts.rejected },
            { key: 'at', title: t(m.at), render: (_, b) => formatDateTime(b.createdAt) },
          ]}
        />
      )}
      <Drawer
        open={open !== null}
        onClose={() => setOpen(null)}
        size="min(720px, 100vw)"
        title={open ? String(open.id) : ''}
      >
        {open ? <BatchResult batch={open} /> : null}
      </Drawer>
    </div>
  );
}
