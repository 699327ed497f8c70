import { Descriptions, List, Tag, Timeline, Typography } from 'antd';
import { useLang } from '../../i18n/LangProvider';
import { formatDate, formatDateTime } from '../../ui/format';
import { basisLine, entryPeriodText, factLine, listText, stageColor, stageText, stepText } from './labels';
import type { EntryView } from './types';

/** One entry: basis, dates, facts and (for the console and the subject) every procedural step. */
export function EntryDetail({ entry }: { entry: EntryView }) {
  const { t, pick } = useLang();
  const e = entry;
  return (
    <div>
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label={t(listText.subject)}>
          {e.subject.name} {e.subject.uscc ?? e.subject.idMasked ?? ''}
        </Descriptions.Item>
        <Descriptions.Item label={t(listText.lists)}>
          {pick(e.listType.nameZh, e.listType.nameEn)}
        </Descriptions.Item>
        <Descriptions.Item label={t(listText.status)}>
          <Tag color={stageColor(e.status)}>{t(stageText(e.status))}</Tag>
        </Descriptions.Item>
        <Descriptions.Item label={t(listText.facts)}>
          <Typography.Paragraph style={{ marginBottom: 4 }}>{e.summary}</Typography.Paragraph>
          {e.facts.map((f, i) => (
            <div key={i}>{factLine(f)}</div>
          ))}
        </Descriptions.Item>
        <Descriptions.Item label={t(listText.basis)}>
          {e.legalBasis.map((b) => (
            <div key={b.instrument}>{basisLine(b, t)}</div>
          ))}
        </Descriptions.Item>
        <Descriptions.Item label={t(listText.department)}>
          {pick(e.department.name ?? '—', e.department.nameEn)}
        </Descriptions.Item>
        {e.decision ? (
          <Descriptions.Item label={t(listText.decisionNo)}>
            {e.decision.decisionNo} · {formatDateTime(e.decision.decidedAt)}
            {e.decision.reasons ? <div>{e.decision.reasons}</div> : null}
          </Descriptions.Item>
        ) : null}
        <Descriptions.Item label={t(listText.period)}>
          {entryPeriodText(e, t)}
          {e.reviewOn ? ` · ${t(listText.reviewOn)} ${formatDate(e.reviewOn)}` : ''}
          {e.earliestExit ? ` · ${t(listText.earliest)} ${formatDate(e.earliestExit)}` : ''}
        </Descriptions.Item>
        <Descriptions.Item label={t(listText.exit)}>
          {pick(e.exitConditions.zh, e.exitConditions.en)}
        </Descriptions.Item>
        {e.notice ? (
          <Descriptions.Item label={t(listText.notice)}>
            {e.notice.noticeNo} / {e.notice.repairNoticeNo} · {formatDate(e.notice.notifiedOn)} ·{' '}
            {t(listText.deadline)} {e.notice.statementDeadline ? formatDate(e.notice.statementDeadline) : '—'}
          </Descriptions.Item>
        ) : null}
        {e.parties.length ? (
          <Descriptions.Item label={t(listText.parties)}>
            <List
              size="small"
              dataSource={e.parties}
              renderItem={(p) => (
                <List.Item>
                  {pick(p.roleLabel.zh, p.roleLabel.en)}: {p.name ?? p.ref} {p.uscc ?? p.idMasked ?? ''}
                </List.Item>
              )}
            />
          </Descriptions.Item>
        ) : null}
      </Descriptions>
      {e.steps?.length ? (
        <>
          <Typography.Title level={2} style={{ fontSize: 16, marginTop: 16 }}>
            {t(listText.steps)}
          </Typography.Title>
          <Timeline
            items={e.steps.map((s) => ({
              children: (
                <span>
                  <strong>{t(stepText(s.step))}</strong> · {formatDateTime(s.at)} · {s.actor}
                </span>
              ),
            }))}
          />
        </>
      ) : null}
    </div>
  );
}
