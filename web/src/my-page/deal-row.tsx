import type { MyDealFragment } from '../__generated__/graphql';
import { formatDateTime } from '../ui/format';
import { Price } from '../ui/price';
import { StatusBadge } from '../ui/status-badge';
import { CancelPurchaseButton } from './cancel-purchase-button';
import type { DealRole } from './deals-section';

const stepLabels: Record<string, string> = { PAID: 'Paid', CANCELLED: 'Cancelled', REFUNDED: 'Refunded' };

export function DealRow({
  deal,
  role,
  onChanged,
}: {
  deal: MyDealFragment;
  role: DealRole;
  onChanged: () => void;
}) {
  return (
    <li className="row" data-purchase-id={deal.id}>
      <div className="row__main">
        <span className="row__title">{deal.productTitle}</span>
        <Price krw={deal.priceKrw} />
        <ol className="history" aria-label="Status history">
          {deal.history.map((step) => (
            <li key={`${step.status}-${step.at}`}>
              {stepLabels[step.status] ?? step.status}{' '}
              <time dateTime={step.at}>{formatDateTime(step.at)}</time>
            </li>
          ))}
        </ol>
      </div>
      <div className="row__side">
        <StatusBadge status={deal.status} />
        {role === 'buyer' && deal.status === 'PAID' && (
          <CancelPurchaseButton purchaseId={deal.id} title={deal.productTitle} onCancelled={onChanged} />
        )}
      </div>
    </li>
  );
}
