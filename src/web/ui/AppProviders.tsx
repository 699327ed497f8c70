import { ConfigProvider } from 'antd';
import enUS from 'antd/es/locale/en_US';
import zhCN from 'antd/es/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useEffect, type ReactNode } from 'react';
import { LangProvider, useLang } from '../i18n/LangProvider';
import { CSP_NONCE } from './cspNonce';

const THEME = {
  token: {
    colorPrimary: '#b0182a',
    borderRadius: 4,
    fontFamily:
      '-apple-system, BlinkMacSystemFont, "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif',
  },
};

/** antd's CSS-in-JS tags its style elements with the page's nonce (ui/cspNonce.ts). */
const CSP = { nonce: CSP_NONCE };

function AntdWithLocale({ children }: { children: ReactNode }) {
  const { lang } = useLang();
  useEffect(() => {
    dayjs.locale(lang === 'en' ? 'en' : 'zh-cn');
  }, [lang]);
  return (
    <ConfigProvider
      locale={lang === 'en' ? enUS : zhCN}
      theme={THEME}
      csp={CSP}
      // antd would render 2-character Chinese buttons as "查 询"; keep the words whole.
      button={{ autoInsertSpace: false }}
    >
      {children}
    </ConfigProvider>
  );
}

export function AppProviders({ children }: { children: ReactNode }) {
  return (
    <LangProvider>
      <AntdWithLocale>{children}</AntdWithLocale>
    </LangProvider>
  );
}
