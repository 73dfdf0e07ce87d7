import { useTranslation } from 'react-i18next';
import { formatDateTime, formatRelative } from '../i18n/format';
import { useLanguage } from '../i18n/use-language';
import { useNow } from '../i18n/use-now';

/** "3분 전" as a <time>, with the full date and time on hover; `template` wraps it ("{{time}} 등록"). */
export function RelativeTime({ iso, template }: { iso: string; template?: (time: string) => string }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const now = useNow();
  const relative = formatRelative(iso, now, language) ?? t('time.justNow');
  return (
    <time dateTime={iso} title={formatDateTime(iso, language)}>
      {template ? template(relative) : relative}
    </time>
  );
}

/** The full date and time ("2026. 11. 29. 오후 6:26"), for records such as a deal's history. */
export function DateTime({ iso }: { iso: string }) {
  return <time dateTime={iso}>{formatDateTime(iso, useLanguage())}</time>;
}
