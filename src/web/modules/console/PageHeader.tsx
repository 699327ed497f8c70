import { Typography } from 'antd';
import { useEffect, type ReactNode } from 'react';
import { useLang } from '../../i18n/LangProvider';
import { common } from '../../ui/messages';

export function PageHeader({
  title,
  extra,
  children,
}: {
  title: string;
  extra?: ReactNode;
  children?: ReactNode;
}) {
  const { t } = useLang();
  useEffect(() => {
    document.title = `${title} · ${t(common.console)} · ${t(common.siteName)}`;
  }, [title, t]);
  return (
    <div style={{ marginBottom: 16 }}>
      <div className="xy-toolbar">
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
          {title}
        </Typography.Title>
        {extra}
      </div>
      {children ? <Typography.Paragraph type="secondary">{children}</Typography.Paragraph> : null}
    </div>
  );
}
