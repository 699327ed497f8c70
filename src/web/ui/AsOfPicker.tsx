import { Button, DatePicker, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useId } from 'react';
import { defineMessages } from '../i18n/lang';
import { useLang } from '../i18n/LangProvider';
import { atParamForDate, isFutureDate } from './asOf';

const m = defineMessages({
  label: { zh: '查看历史公示状态（截至某日）', en: 'Show as of a past date' },
  today: { zh: '回到今天', en: 'Back to today' },
});

/** Picks the date a page answers for; days after today cannot be chosen. */
export function AsOfPicker({ date, onChange }: { date: string | null; onChange(at: string | null): void }) {
  const { t } = useLang();
  const id = useId();
  const now = new Date();
  return (
    <Space wrap>
      <label htmlFor={id}>{t(m.label)}</label>
      <DatePicker
        id={id}
        data-testid="as-of"
        value={date ? dayjs(date) : null}
        disabledDate={(d: Dayjs) => isFutureDate(d.format('YYYY-MM-DD'), now)}
        onChange={(d: Dayjs | null) =>
          onChange(atParamForDate(d ? d.format('YYYY-MM-DD') : null, new Date()))
        }
        allowClear
      />
      {date ? (
        <Button onClick={() => onChange(null)} data-testid="as-of-today">
          {t(m.today)}
        </Button>
      ) : null}
    </Space>
  );
}
