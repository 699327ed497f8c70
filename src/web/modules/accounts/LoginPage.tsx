import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { defineMessages } from '../../i18n/lang';
import { useLang } from '../../i18n/LangProvider';
import { applyApiError } from '../../ui/forms';
import { LangSwitch } from '../../ui/LangSwitch';
import { common } from '../../ui/messages';
import { safeNext } from './next';
import { useSession } from './session';

const m = defineMessages({
  title: { zh: '登录工作台', en: 'Log in to the console' },
  lead: {
    zh: '供数据提供部门、平台管理员和审计员使用。公众查询无需登录。',
    en: 'For providing departments, platform administrators and auditors. Public search needs no login.',
  },
  username: { zh: '用户名', en: 'Username' },
  password: { zh: '密码', en: 'Password' },
  required: { zh: '请填写{what}', en: 'Enter the {what}' },
  submit: { zh: '登录', en: 'Log in' },
  back: { zh: '返回公众查询', en: 'Back to public search' },
});

interface LoginValues {
  username: string;
  password: string;
}

export function LoginPage() {
  const { t, lang } = useLang();
  const session = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [form] = Form.useForm<LoginValues>();
  const [general, setGeneral] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  const onFinish = async (v: LoginValues) => {
    setBusy(true);
    setGeneral([]);
    try {
      await session.login(v.username.trim(), v.password);
      navigate(safeNext(params.get('next')), { replace: true });
    } catch (err) {
      setGeneral(applyApiError(form, err, lang, [['username'], ['password']]));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        padding: 16,
      }}
    >
      <main id="main" style={{ width: '100%', maxWidth: 400 }}>
        <Card>
          <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
            <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
              {t(m.title)}
            </Typography.Title>
            <LangSwitch />
          </div>
          <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
            {t(m.lead)}
          </Typography.Paragraph>
          {general.map((g) => (
            <Alert
              key={g}
              type="error"
              showIcon
              title={g}
              style={{ marginBottom: 12 }}
              role="alert"
              data-testid="login-error"
            />
          ))}
          <Form form={form} layout="vertical" onFinish={onFinish} requiredMark={false}>
            <Form.Item
              name="username"
              label={t(m.username)}
              rules={[{ required: true, whitespace: true, message: t(m.required, { what: t(m.username) }) }]}
            >
              <Input autoComplete="username" data-testid="login-username" />
            </Form.Item>
            <Form.Item
              name="password"
              label={t(m.password)}
              rules={[{ required: true, message: t(m.required, { what: t(m.password) }) }]}
            >
              <Input.Password autoComplete="current-password" data-testid="login-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
              {t(m.submit)}
            </Button>
          </Form>
          <div style={{ marginTop: 16 }}>
            <Link to="/">{t(m.back)}</Link>
          </div>
        </Card>
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center', marginTop: 12 }}>
          {t(common.siteName)} · {t(common.siteTitle)}
        </Typography.Paragraph>
      </main>
    </div>
  );
}
