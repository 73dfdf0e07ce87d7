import { useTranslation } from 'react-i18next';

export type Status = 'ON_SALE' | 'SOLD' | 'DELETED' | 'PAID' | 'CANCELLED' | 'REFUNDED';

/** A product's or a deal's status; `data-status` carries the API's value (tests and styles key on it). */
export function StatusBadge({ status }: { status: Status }) {
  const { t } = useTranslation();
  return (
    <span className={`badge badge--${status.toLowerCase().replace('_', '-')}`} data-status={status}>
      {t(`status.${status}`)}
    </span>
  );
}
