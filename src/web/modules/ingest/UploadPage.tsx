import { Alert, Button, Card, Form, Progress, Select, Space, Typography, Upload } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { get, upload } from '../../api/client';
import { ApiError, isMissingEndpoint } from '../../api/errors';
import type { Batch } from '../../api/types';
import { defineMessages } from '../../i18n/lang';
import { useLang } from '../../i18n/LangProvider';
import { applyApiError } from '../../ui/forms';
import { common } from '../../ui/messages';
import { FormErrors } from '../../ui/useFormSubmit';
import { useSession } from '../accounts/session';
import { templateUrl } from '../catalog/TemplatesPage';
import { useProvidedItems } from '../catalog/useProvidedItems';
import { PageHeader } from '../console/PageHeader';
import { POLL_MS } from './batch';
import { BatchResult } from './BatchResult';

const m = defineMessages({
  title: { zh: '上传数据', en: 'Upload data' },
  lead: {
    zh: '选择目录事项并上传 Excel（.xlsx）、CSV 或 NDJSON 文件。合格的行一并入库，不合格的行逐行说明原因，可下载修改后重新上传。',
    en: 'Choose a catalogue item and upload an Excel (.xlsx), CSV or NDJSON file. Valid rows are stored together; each rejected row says why, and can be downloaded, fixed and uploaded again.',
  },
  item: { zh: '目录事项', en: 'Catalogue item' },
  file: { zh: '文件', en: 'File' },
  drop: { zh: '点击选择或将文件拖到此处', en: 'Click to choose, or drop a file here' },
  formats: {
    zh: '支持 .xlsx、.csv（UTF-8 / GB18030）、.ndjson',
    en: '.xlsx, .csv (UTF-8 / GB18030), .ndjson',
  },
  submit: { zh: '上传', en: 'Upload' },
  uploading: { zh: '正在上传…', en: 'Uploading…' },
  required: { zh: '必填', en: 'Required' },
  chooseFile: { zh: '请选择文件', en: 'Choose a file' },
  templates: { zh: '模板：', en: 'Templates:' },
  duplicate: {
    zh: '同一文件已在批次 #{id} 处理过，本次未重复入库。',
    en: 'This exact file was already processed in batch #{id}; nothing was stored twice.',
  },
});

interface Values {
  itemCode: string;
}

export function UploadPage() {
  const { t, lang, pick } = useLang();
  const [form] = Form.useForm<Values>();
  const { me } = useSession();
  const items = useProvidedItems(me?.department?.id ?? null);
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [sent, setSent] = useState<number | null>(null);
  const [batch, setBatch] = useState<Batch | null>(null);
  const [general, setGeneral] = useState<string[]>([]);
  const [missing, setMissing] = useState(false);
  const [duplicateOf, setDuplicateOf] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const poll = useRef<ReturnType<typeof setTimeout> | null>(null);
  const itemCode = Form.useWatch('itemCode', form);

  useEffect(
    () => () => {
      if (poll.current) clearTimeout(poll.current);
    },
    [],
  );

  const follow = (id: string | number) => {
    const tick = async () => {
      try {
        const b = await get<Batch>(`/api/v1/ingest/batches/${encodeURIComponent(String(id))}`);
        setBatch(b);
        if (b.status === 'processing') poll.current = setTimeout(tick, POLL_MS);
        else setBusy(false);
      } catch (err) {
        setGeneral([err instanceof ApiError ? err.text(lang) : String(err)]);
        setBusy(false);
      }
    };
    void tick();
  };

  const onFinish = async (v: Values) => {
    if (!file) {
      setFileError(t(m.chooseFile));
      return;
    }
    setBusy(true);
    setGeneral([]);
    setBatch(null);
    setDuplicateOf(null);
    setSent(0);
    const fd = new FormData();
    fd.append('itemCode', v.itemCode);
    fd.append('file', file, file.name);
    try {
      // async: the answer comes once the batch is started, and the page follows its progress.
      const r = await upload<{ batchId: string | number; duplicateOf?: number | null }>(
        '/api/v1/ingest/batches?async=1',
        fd,
        setSent,
      );
      setSent(null);
      setDuplicateOf(r.duplicateOf ?? null);
      follow(r.batchId);
    } catch (err) {
      setSent(null);
      setBusy(false);
      if (isMissingEndpoint(err)) {
        setMissing(true);
        return;
      }
      // A file whose every row was rejected is still a batch: show its errors and rejected rows.
      const failedBatch = err instanceof ApiError ? err.details.batchId : undefined;
      if (typeof failedBatch === 'number' || typeof failedBatch === 'string') {
        setBusy(true);
        follow(failedBatch);
      }
      const rest = applyApiError(form, err, lang, [['itemCode']]);
      const fileProblem = err instanceof ApiError && err.problems.some((p) => p.path[0] === 'file');
      if (fileProblem && err instanceof ApiError) setFileError(err.text(lang));
      setGeneral(fileProblem ? [] : rest);
    }
  };

  return (
    <div>
      <PageHeader title={t(m.title)}>{t(m.lead)}</PageHeader>
      {missing ? (
        <Alert type="info" showIcon title={t(common.notAvailable)} style={{ marginBottom: 12 }} />
      ) : null}
      <Card size="small" style={{ marginBottom: 12 }}>
        <FormErrors messages={general} />
        <Form form={form} layout="vertical" onFinish={onFinish} style={{ maxWidth: 640 }}>
          <Form.Item name="itemCode" label={t(m.item)} rules={[{ required: true, message: t(m.required) }]}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              loading={items.loading}
              data-testid="upload-item"
              options={(items.data ?? []).map((i) => ({
                value: i.code,
                label: `${pick(i.nameZh, i.nameEn)} (${i.code})`,
              }))}
            />
          </Form.Item>
          {itemCode ? (
            <Typography.Paragraph>
              {t(m.templates)}{' '}
              <Space>
                <a href={templateUrl(itemCode, 'xlsx')} download>
                  Excel
                </a>
                <a href={templateUrl(itemCode, 'csv')} download>
                  CSV
                </a>
              </Space>
            </Typography.Paragraph>
          ) : null}
          <Form.Item
            label={t(m.file)}
            required
            validateStatus={fileError ? 'error' : undefined}
            help={fileError ?? t(m.formats)}
          >
            <Upload.Dragger
              accept=".xlsx,.csv,.ndjson,.json,.txt"
              maxCount={1}
              beforeUpload={(f) => {
                setFile(f);
                setFileError(null);
                return false;
              }}
              onRemove={() => setFile(null)}
              fileList={file ? [{ uid: 'file', name: file.name, status: 'done' }] : []}
              data-testid="upload-file"
            >
              <p>{t(m.drop)}</p>
            </Upload.Dragger>
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="upload-submit">
            {t(m.submit)}
          </Button>
        </Form>
        {sent !== null ? (
          <div style={{ marginTop: 12 }} aria-live="polite">
            <Typography.Text>{t(m.uploading)}</Typography.Text>
            <Progress percent={Math.round(sent * 100)} data-testid="upload-progress" />
          </div>
        ) : null}
      </Card>
      {duplicateOf ? (
        <Alert
          type="info"
          showIcon
          title={t(m.duplicate, { id: duplicateOf })}
          style={{ marginBottom: 12 }}
        />
      ) : null}
      {batch ? <BatchResult batch={batch} /> : null}
    </div>
  );
}
