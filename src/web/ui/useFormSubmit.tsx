import { Alert, type FormInstance } from 'antd';
import { useState } from 'react';
import type { FieldResolver, FormPath } from '../api/errors';
import { useLang } from '../i18n/LangProvider';
import { applyApiError } from './forms';

/**
 * Submits a form through an API call: while busy the button spins; on error each problem lands on
 * its field and the rest is returned as `general` for <FormErrors>.
 */
export function useFormSubmit<V, R>(
  form: FormInstance,
  resolve: FieldResolver | readonly FormPath[],
  action: (values: V) => Promise<R>,
  onDone: (result: R) => void,
) {
  const { lang } = useLang();
  const [busy, setBusy] = useState(false);
  const [general, setGeneral] = useState<string[]>([]);
  const submit = async (values: V) => {
    setBusy(true);
    setGeneral([]);
    try {
      const r = await action(values);
      onDone(r);
    } catch (err) {
      setGeneral(applyApiError(form, err, lang, resolve));
    } finally {
      setBusy(false);
    }
  };
  return { submit, busy, general, clear: () => setGeneral([]) };
}

export function FormErrors({ messages }: { messages: readonly string[] }) {
  if (!messages.length) return null;
  return (
    <div role="alert" style={{ marginBottom: 12 }}>
      {messages.map((g) => (
        <Alert key={g} type="error" showIcon title={g} data-testid="form-error" style={{ marginBottom: 4 }} />
      ))}
    </div>
  );
}
