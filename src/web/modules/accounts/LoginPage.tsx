import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { post } from '../../api/client';
import { ApiError } from '../../api/errors';
import { defineMessages } from '../../i18n/lang';
import { useLang } from '../../i18n/LangProvider';
import { applyApiError } from '../../ui/forms';
import { LangSwitch } from '../../ui/LangSwitch';
import { common } from '../../ui/messages';
import { groupSecret, safeNext } from './next';
import { useSession } from './session';

const m = defineMessages({
  title: { zh: '登录工作台', en: 'Log in to the console' },
  lead: {
    zh: '供数据提供部门、平台管理员、审计员，以及查看、异议和修复本主体信息的主体（或其代理人）使用。公众查询无需登录。',
    en: 'For providing departments, platform administrators, auditors, and subjects (or their agents) who view, contest and repair what is held on them. Public search needs no login.',
  },
  username: { zh: '用户名', en: 'Username' },
  password: { zh: '密码', en: 'Password' },
  totp: { zh: '动态口令', en: 'One-time code' },
  totpHelp: {
    zh: '身份验证器应用中显示的 6 位数字',
    en: 'The 6 digits shown by your authenticator app',
  },
  totpFormat: { zh: '请输入 6 位数字', en: 'Enter 6 digits' },
  required: { zh: '请填写{what}', en: 'Enter the {what}' },
  submit: { zh: '登录', en: 'Log in' },
  back: { zh: '返回公众查询', en: 'Back to public search' },
  enrolTitle: { zh: '首次登录：绑定动态口令', en: 'First login: set up a one-time code' },
  enrolLead: {
    zh: '您的角色需要动态口令。请在身份验证器应用（如 FreeOTP、Google Authenticator、Microsoft Authenticator）中添加以下密钥，然后填写它显示的 6 位数字完成登录。',
    en: 'Your role needs a one-time code. Add this key to an authenticator app (FreeOTP, Google Authenticator, Microsoft Authenticator, …), then enter the 6 digits it shows to log in.',
  },
  enrolStart: { zh: '获取绑定密钥', en: 'Get the key' },
  secret: { zh: '密钥', en: 'Key' },
  uri: { zh: '链接', en: 'Link' },
});

interface LoginValues {
  username: string;
  password: string;
  totp?: string;
}

interface Enrolment {
  secret: string;
  otpauthUri: string;
}

export function LoginPage() {
  const { t, lang } = useLang();
  const session = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [form] = Form.useForm<LoginValues>();
  const [general, setGeneral] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  // Set once the server asks for a second factor; `enrolled: false` means it must be set up first.
  const [second, setSecond] = useState<{ enrolled: boolean } | null>(null);
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);

  const fail = (err: unknown) => {
    if (err instanceof ApiError && err.code === 'TOTP_REQUIRED') {
      // Asking for the code is the next step, not an error.
      setSecond({ enrolled: err.details.enrolled !== false });
      setGeneral([]);
      return;
    }
    setGeneral(applyApiError(form, err, lang, [['username'], ['password'], ['totp']]));
  };

  const onFinish = async (v: LoginValues) => {
    setBusy(true);
    setGeneral([]);
    try {
      await session.login(v.username.trim(), v.password, v.totp?.trim() || undefined);
      navigate(safeNext(params.get('next')), { replace: true });
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  };

  const startEnrolment = async () => {
    setBusy(true);
    setGeneral([]);
    try {
      const v = form.getFieldsValue();
      setEnrolment(
        await post<Enrolment>('/api/v1/auth/totp/enrol', {
          username: v.username.trim(),
          password: v.password,
        }),
      );
    } catch (err) {
      fail(err);
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
      <main id="main" style={{ width: '100%', maxWidth: 420 }}>
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
            {second && !second.enrolled ? (
              <Card
                size="small"
                title={t(m.enrolTitle)}
                style={{ marginBottom: 16 }}
                data-testid="totp-enrol"
              >
                <Typography.Paragraph>{t(m.enrolLead)}</Typography.Paragraph>
                {enrolment ? (
                  <>
                    <Typography.Paragraph>
                      {t(m.secret)}:{' '}
                      <Typography.Text code copyable={{ text: enrolment.secret }} data-testid="totp-secret">
                        {groupSecret(enrolment.secret)}
                      </Typography.Text>
                    </Typography.Paragraph>
                    <Typography.Paragraph style={{ wordBreak: 'break-all' }}>
                      {t(m.uri)}: <a href={enrolment.otpauthUri}>{enrolment.otpauthUri}</a>
                    </Typography.Paragraph>
                  </>
                ) : (
                  <Button onClick={startEnrolment} loading={busy} data-testid="totp-enrol-start">
                    {t(m.enrolStart)}
                  </Button>
                )}
              </Card>
            ) : null}
            {second ? (
              <Form.Item
                name="totp"
                label={t(m.totp)}
                extra={t(m.totpHelp)}
                rules={[{ required: true, pattern: /^\s*\d{6}\s*$/, message: t(m.totpFormat) }]}
              >
                <Input
                  autoComplete="one-time-code"
                  inputMode="numeric"
                  maxLength={6}
                  autoFocus
                  data-testid="login-totp"
                />
              </Form.Item>
            ) : null}
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
