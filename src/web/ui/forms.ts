import type { FormInstance } from 'antd';
import { ApiError, mapErrorToForm, type FieldResolver, type FormPath } from '../api/errors';
import type { Lang } from '../i18n/lang';

/**
 * Shows an API error on a form: each problem next to its field, in the user's language. Returns
 * the messages no field of the form claims, for an alert above the form.
 */
export function applyApiError(
  form: FormInstance,
  err: unknown,
  lang: Lang,
  resolve: FieldResolver | readonly FormPath[],
): string[] {
  if (!(err instanceof ApiError)) return [err instanceof Error ? err.message : String(err)];
  const mapped = mapErrorToForm(err, lang, resolve);
  form.setFields(mapped.fields.map((f) => ({ name: f.name, errors: f.errors })));
  return mapped.general;
}
