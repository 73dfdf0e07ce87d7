import type { LiveStatus } from '../graphql/live-socket';
import { formatDateTime } from '../ui/format';
import type { PurchaseStatusChange } from './use-live-purchase-status';

const labels: Record<LiveStatus, string> = {
  connected: 'Live',
  connecting: 'Connecting…',
  closed: 'Reconnecting…',
};
const changeLabels: Record<string, string> = {
  PLACED: 'placed',
  CANCELLED: 'cancelled',
  REFUNDED: 'refunded',
};

/** Whether status changes arrive live, and the last one that did. */
export function LiveIndicator({
  status,
  lastChange,
}: {
  status: LiveStatus;
  lastChange: PurchaseStatusChange | undefined;
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
          · a purchase was {changeLabels[lastChange.change] ?? lastChange.change.toLowerCase()} at{' '}
          {formatDateTime(lastChange.occurredAt)}
        </span>
      )}
    </p>
  );
}
