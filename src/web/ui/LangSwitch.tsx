import { Button } from 'antd';
import { useLang } from '../i18n/LangProvider';
import { common } from './messages';

export function LangSwitch() {
  const { lang, setLang, t } = useLang();
  const next = lang === 'en' ? 'zh-CN' : 'en';
  return (
    <Button
      data-testid="lang-switch"
      type="text"
      className="xy-lang-switch"
      aria-label={t(common.switchLangLabel)}
      lang={next}
      onClick={() => setLang(next)}
    >
      {t(common.switchLang)}
    </Button>
  );
}
