import { useTranslation } from 'react-i18next';
import type { LiveStatus } from '../graphql/live-socket';
import { RelativeTime } from '../ui/relative-time';
import type { MyPageChange } from './use-live-my-page';

/** Whether changes arrive live, and the last one that did. */
export function LiveIndicator({
  status,
  lastChange,
}: {
  status: LiveStatus;
  lastChange: MyPageChange | undefined;
}) {
  const { t } = useTranslation();
  return (
    <p className={`live-indicator live-indicator--${status}`} role="status" data-live-status={status}>
      <span className="live-indicator__dot" aria-hidden="true" />
      {t(`myPage.live.${status}`)}
      {lastChange && (
        <span className="muted" data-last-change={lastChange.event}>
          {' · '}
          {t(`myPage.events.${lastChange.event}`)} · <RelativeTime iso={lastChange.occurredAt} />
        </span>
      )}
    </p>
  );
}
