import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { setApiLanguage } from '../api/client.ts';
import { LANG_KEY, type Lang } from '../i18n/index.ts';

const ELDERLY_KEY = 'yimen.elderly';

interface Prefs {
  lang: Lang;
  setLang: (l: Lang) => void;
  /** 适老化: large type, high contrast, big buttons; remembered on this device. */
  elderly: boolean;
  setElderly: (on: boolean) => void;
}

const PrefsContext = createContext<Prefs | null>(null);

function stored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}
function store(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // private mode: the choice lasts for this page only
  }
}

export function PrefsProvider({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  const [lang, setLangState] = useState<Lang>(i18n.language === 'en' ? 'en' : 'zh');
  const [elderly, setElderlyState] = useState(stored(ELDERLY_KEY) === '1');
  const setLang = useCallback(
    (l: Lang) => {
      setApiLanguage(l);
      store(LANG_KEY, l);
      document.documentElement.lang = l === 'en' ? 'en' : 'zh-CN';
      void i18n.changeLanguage(l);
      setLangState(l);
    },
    [i18n],
  );
  const setElderly = useCallback((on: boolean) => {
    store(ELDERLY_KEY, on ? '1' : '0');
    setElderlyState(on);
  }, []);
  useEffect(() => {
    document.body.classList.toggle('ym-elderly', elderly);
  }, [elderly]);
  return (
    <PrefsContext.Provider value={{ lang, setLang, elderly, setElderly }}>
      {children}
    </PrefsContext.Provider>
  );
}

export function usePrefs(): Prefs {
  const p = useContext(PrefsContext);
  if (!p) throw new Error('usePrefs outside PrefsProvider');
  return p;
}
