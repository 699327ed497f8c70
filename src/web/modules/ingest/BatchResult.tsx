import { Alert, Card, Col, Progress, Row, Statistic, Table, Typography } from 'antd';
import { readMessages } from '../../api/errors';
import type { Batch, BatchRowError } from '../../api/types';
import { defineMessages } from '../../i18n/lang';
import { useLang } from '../../i18n/LangProvider';
import { batchPercent, rejectedCsvUrl, rowErrorText } from './batch';

export const batchText = defineMessages({
  processing: { zh: '正在处理：已处理 {rows} 行', en: 'Processing: {rows} rows done' },
  done: { zh: '批次处理完成', en: 'The batch is processed' },
  failed: { zh: '批次处理失败，未保存任何记录', en: 'The batch failed; nothing was stored' },
  accepted: { zh: '新增', en: 'Accepted' },
  updated: { zh: '更新', en: 'Updated' },
  unchanged: { zh: '未变化', en: 'Unchanged' },
  rejected: { zh: '被拒绝', en: 'Rejected' },
  row: { zh: '行号', en: 'Row' },
  field: { zh: '字段', en: 'Field' },
  code: { zh: '错误代码', en: 'Code' },
  message: { zh: '原因', en: 'Reason' },
  downloadRejected: { zh: '下载被拒绝的行（含原因）', en: 'Download rejected rows (with reasons)' },
  errors: { zh: '被拒绝的行', en: 'Rejected rows' },
});

export function BatchResult({ batch }: { batch: Batch }) {
  const { t, lang } = useLang();
  const percent = batchPercent(batch);
  const failure = batch.error ? readMessages(batch.error.messages) : null;
  return (
    <Card data-testid="batch-result" size="small">
      {batch.status === 'processing' ? (
        <>
          <Typography.Text>{t(batchText.processing, { rows: batch.progress?.rows ?? 0 })}</Typography.Text>
          <Progress percent={percent ?? 99} status="active" showInfo={percent !== null} />
        </>
      ) : batch.status === 'failed' ? (
        <Alert
          type="error"
          showIcon
          title={t(batchText.failed)}
          description={failure ? (lang === 'en' ? failure.en : failure['zh-CN']) : batch.error?.message}
        />
      ) : (
        <Alert type={batch.counts.rejected ? 'warning' : 'success'} showIcon title={t(batchText.done)} />
      )}
      <Row gutter={12} style={{ marginTop: 12 }}>
        {(['accepted', 'updated', 'unchanged', 'rejected'] as const).map((k) => (
          <Col key={k} xs={12} md={6}>
            <Statistic
              title={t(batchText[k])}
              value={batch.counts[k]}
              styles={
                k === 'rejected' && batch.counts.rejected ? { content: { color: '#cf1322' } } : undefined
              }
            />
          </Col>
        ))}
      </Row>
      {batch.status !== 'processing' && batch.counts.rejected > 0 ? (
        <>
          <p style={{ marginTop: 12 }}>
            <a href={rejectedCsvUrl(batch.id)} download data-testid="download-rejected">
              {t(batchText.downloadRejected)}
            </a>
          </p>
          {batch.errors?.length ? (
            <Table<BatchRowError & { n: number }>
              data-testid="batch-errors"
              size="small"
              rowKey="n"
              title={() => t(batchText.errors)}
              dataSource={batch.errors.map((e, n) => ({ ...e, n }))}
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              scroll={{ x: 600 }}
              columns={[
                { key: 'row', title: t(batchText.row), dataIndex: 'row', width: 70 },
                { key: 'field', title: t(batchText.field), dataIndex: 'field' },
                { key: 'code', title: t(batchText.code), dataIndex: 'code' },
                { key: 'msg', title: t(batchText.message), render: (_, e) => rowErrorText(e, lang) },
              ]}
            />
          ) : null}
        </>
      ) : null}
    </Card>
  );
}
