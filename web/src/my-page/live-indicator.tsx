import type { LiveStatus } from '../graphql/live-socket';
import { formatDateTime } from '../ui/format';
import type { MyPageChange } from './use-live-my-page';

const labels: Record<LiveStatus, string> = {
  connected: 'Live',
  connecting: 'Connecting…',
  closed: 'Reconnecting…',
};
const changeLabels: Record<string, string> = {
  PRODUCT_REGISTERED: 'a product was listed',
  PRODUCT_SOLD: 'a product was sold',
  PRODUCT_BACK_ON_SALE: 'a product is back on sale',
  PRODUCT_DELETED: 'a product was removed',
  PURCHASE_PLACED: 'a purchase was placed',
  PURCHASE_CANCELLED: 'a purchase was cancelled',
  PAYMENT_REFUNDED: 'a purchase was refunded',
};

/** Whether status changes arrive live, and the last one that did. */
export function LiveIndicator({
  status,
  lastChange,
}: {
  status: LiveStatus;
  lastChange: MyPageChange | undefined;
}) {
  return (
    <p
      className={`live-indicator live-indicator--${status}`}
      role="status"
      aria-live="polite"
      data-live-status={status}
    >
      <span className="live-indicator__dot" aria-hidden="true" />
      {labels[status]}
      {lastChange && (
        <span className="muted">
          {' '}
          · {changeLabels[lastChange.event] ?? lastChange.event.toLowerCase()} at{' '}
          {formatDateTime(lastChange.occurredAt)}
        </span>
      )}
    </p>
  );
}
