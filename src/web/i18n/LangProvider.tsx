import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { setApiLang } from '../api/client';
import { format, initialLang, LANG_STORAGE_KEY, pick, type Lang, type Msg } from './lang';

export interface LangApi {
  lang: Lang;
  setLang(lang: Lang): void;
  t(msg: Msg, vars?: Record<string, string | number>): string;
  pick(zh: string, en: string | null | undefined): string;
}

const LangContext = createContext<LangApi | null>(null);

function readStored(): string | null {
  try {
    return window.localStorage.getItem(LANG_STORAGE_KEY);
  } catch {
    return null;
  }
}

export function LangProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => initialLang(readStored()));

  useEffect(() => {
    document.documentElement.lang = lang;
    setApiLang(lang);
  }, [lang]);

  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    setApiLang(next);
    try {
      window.localStorage.setItem(LANG_STORAGE_KEY, next);
    } catch {
      // Private mode: the choice lasts for this page only.
    }
  }, []);

  const value = useMemo<LangApi>(
    () => ({
      lang,
      setLang,
      t: (msg, vars) => format(msg, lang, vars),
      pick: (zh, en) => pick(lang, zh, en),
    }),
    [lang, setLang],
  );
  return <LangContext.Provider value={value}>{children}</LangContext.Provider>;
}

export function useLang(): LangApi {
  const v = useContext(LangContext);
  if (!v) throw new Error('useLang outside LangProvider');
  return v;
}
