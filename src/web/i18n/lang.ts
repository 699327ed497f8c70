/** The two languages of the site; zh-CN is the default. */
export type Lang = 'zh-CN' | 'en';

export const LANG_STORAGE_KEY = 'xinyong.lang';

/** Text in both languages. Modules declare their texts next to their pages. */
export interface Msg {
  zh: string;
  en: string;
}

export function defineMessages<T extends Record<string, Msg>>(messages: T): T {
  return messages;
}

/** A code the API returns (a state, a kind, a type) in words from `table`; an unknown one as it came. */
export function codeText(table: Readonly<Record<string, Msg>>, code: string): Msg {
  return table[code] ?? { zh: code, en: code };
}

/** The stored choice if it is a language we have; otherwise Chinese, whatever the browser says. */
export function initialLang(stored: string | null | undefined): Lang {
  return stored === 'en' ? 'en' : 'zh-CN';
}

/** Fills `{name}` placeholders; unknown placeholders stay visible so a missing value is noticed. */
export function format(msg: Msg, lang: Lang, vars: Record<string, string | number> = {}): string {
  const text = lang === 'en' ? msg.en : msg.zh;
  return text.replace(/\{(\w+)\}/g, (m, key: string) => (key in vars ? String(vars[key]) : m));
}

/** Picks one side of a pair the API returns (`nameZh`/`nameEn`, `{ zh, en }`), falling back to Chinese. */
export function pick(lang: Lang, zh: string, en: string | null | undefined): string {
  return lang === 'en' && en ? en : zh;
}
