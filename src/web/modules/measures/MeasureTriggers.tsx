import { Tag } from 'antd';
import { useLang } from '../../i18n/LangProvider';
import { measureText, reachesText, triggerText, type ListName } from './labels';
import type { Measure } from './types';

/** A measure's triggers column (public inventory and console): its triggers and whom else it reaches. */
export function MeasureTriggers({
  measure: r,
  lists,
}: {
  measure: Pick<Measure, 'triggers' | 'reachesRoles'>;
  lists: ReadonlyMap<string, ListName>;
}) {
  const { t, pick, lang } = useLang();
  return (
    <>
      {r.triggers.map((tr, i) => (
        <Tag key={i}>{triggerText(tr, lang, lists)}</Tag>
      ))}
      {r.reachesRoles?.length ? (
        <div>
          {t(measureText.reaches)}: {reachesText(r.reachesRoles, pick)}
        </div>
      ) : null}
    </>
  );
}
