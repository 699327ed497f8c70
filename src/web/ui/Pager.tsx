import { Button } from 'antd';
import { useLang } from '../i18n/LangProvider';
import { common } from './messages';

/**
 * Previous / next paging for lists the API answers with `more` instead of a total (counting a
 * common search term costs more than the search itself).
 */
export function Pager({
  page,
  more,
  onChange,
}: {
  page: number;
  more: boolean;
  onChange(page: number): void;
}) {
  const { t } = useLang();
  if (page <= 1 && !more) return null;
  return (
    <nav className="xy-pager" aria-label={t(common.pageN, { n: page })}>
      <Button disabled={page <= 1} onClick={() => onChange(page - 1)} data-testid="page-prev">
        {t(common.prev)}
      </Button>
      <span aria-current="page">{t(common.pageN, { n: page })}</span>
      <Button disabled={!more} onClick={() => onChange(page + 1)} data-testid="page-next">
        {t(common.next)}
      </Button>
    </nav>
  );
}
