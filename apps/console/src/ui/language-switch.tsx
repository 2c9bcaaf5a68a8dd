// Arabic or English, switchable at any time: each option is labelled in its own language.
import { Segmented } from 'antd';
import { useLocale } from '../i18n/locale';
import type { Language } from '../i18n/messages';

export function LanguageSwitch() {
  const { t, language, setLanguage } = useLocale();
  return (
    <Segmented<Language>
      aria-label={t('nav.language')}
      value={language}
      onChange={setLanguage}
      options={[
        { label: <span lang="en">English</span>, value: 'en' },
        { label: <span lang="ar">العربية</span>, value: 'ar' },
      ]}
      data-testid="language"
    />
  );
}
