import { Alert, Button } from 'antd';
import { ApiError } from '../api/errors';
import { useLang } from '../i18n/LangProvider';
import { common } from './messages';

/** An error in the user's language, with the request id support staff need. */
export function ErrorAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { lang, t } = useLang();
  const apiErr = error instanceof ApiError ? error : null;
  const text = apiErr ? apiErr.text(lang) : error instanceof Error ? error.message : String(error);
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      title={text}
      description={apiErr?.requestId ? `${t(common.requestId)}: ${apiErr.requestId}` : undefined}
      action={
        onRetry ? (
          <Button size="small" onClick={onRetry}>
            {t(common.retry)}
          </Button>
        ) : undefined
      }
    />
  );
}
