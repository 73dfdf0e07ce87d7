import { useTranslation } from 'react-i18next';

export function LoadingState() {
  const { t } = useTranslation();
  return (
    <p className="state state--loading" role="status">
      {t('state.loading')}
    </p>
  );
}
