import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

/** "<page> | 가지마켓" in the tab, the history menu and bookmarks — one per page. */
export function useDocumentTitle(title: string | undefined): void {
  const { t } = useTranslation();
  const suffix = t('app.titleSuffix');
  useEffect(() => {
    document.title = title ? `${title} | ${suffix}` : suffix;
  }, [title, suffix]);
}
