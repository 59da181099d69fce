import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { setApiLanguage } from '../api/client.ts';
import { adminEn, adminZh } from '../features/admin/i18n.ts';
import { hallEn, hallZh } from '../features/hall/i18n.ts';
import { leaderEn, leaderZh } from '../features/leader/i18n.ts';
import { en } from './en.ts';
import { zh } from './zh.ts';

export type Lang = 'zh' | 'en';
export const LANG_KEY = 'yimen.lang';

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(LANG_KEY);
    if (saved === 'en' || saved === 'zh') return saved;
  } catch {
    // private mode: fall back to Chinese
  }
  return 'zh';
}

const lang = initialLang();
setApiLanguage(lang);
document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';

void i18n.use(initReactI18next).init({
  // Each area keeps its strings beside its screens, under its own key (t('hall.…')).
  resources: {
    zh: { translation: { ...zh, hall: hallZh, admin: adminZh, leader: leaderZh } },
    en: { translation: { ...en, hall: hallEn, admin: adminEn, leader: leaderEn } },
  },
  lng: lang,
  fallbackLng: 'zh',
  interpolation: { escapeValue: false },
});

export function bi(text: { zh: string; en: string } | undefined, l: string): string {
  if (!text) return '';
  return l === 'en' ? text.en || text.zh : text.zh;
}

export default i18n;
