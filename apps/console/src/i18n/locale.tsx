// The chosen language: kept across visits, switchable at any time, and applied to the whole document (lang and dir),
// so the layout mirrors in Arabic and screen readers read the right language.
import { createContext, ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { ar, en, Language, MessageKey } from './messages';
import { interpolate } from './format';

const KEY = 'agdar.console.language';

interface LocaleValue {
  language: Language;
  direction: 'ltr' | 'rtl';
  setLanguage(language: Language): void;
  t(key: MessageKey, values?: Record<string, string | number>): string;
}

const LocaleContext = createContext<LocaleValue | null>(null);

function initialLanguage(): Language {
  const stored = localStorage.getItem(KEY);
  if (stored === 'en' || stored === 'ar') return stored;
  return navigator.language.toLowerCase().startsWith('ar') ? 'ar' : 'en';
}

export function LocaleProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  const direction = language === 'ar' ? 'rtl' : 'ltr';
  useEffect(() => {
    document.documentElement.lang = language;
    document.documentElement.dir = direction;
    document.title = (language === 'ar' ? ar : en)['app.name'];
  }, [language, direction]);
  const setLanguage = useCallback((next: Language) => {
    localStorage.setItem(KEY, next);
    setLanguageState(next);
  }, []);
  const value = useMemo<LocaleValue>(() => {
    const dictionary = language === 'ar' ? ar : en;
    return { language, direction, setLanguage, t: (key, values) => interpolate(dictionary[key], values) };
  }, [language, direction, setLanguage]);
  return <LocaleContext.Provider value={value}>{children}</LocaleContext.Provider>;
}

export function useLocale(): LocaleValue {
  const value = useContext(LocaleContext);
  if (!value) throw new Error('useLocale outside LocaleProvider');
  return value;
}
