import type { MyDealFragment } from '../__generated__/graphql';
import { EmptyState } from '../ui/empty-state';
import { DealRow } from './deal-row';

export type DealRole = 'buyer' | 'seller';

/** My purchases (as the buyer) or my sales (as the seller), with each deal's status history. */
export function DealsSection({
  title,
  role,
  deals,
  empty,
  onChanged,
}: {
  title: string;
  role: DealRole;
  deals: MyDealFragment[];
  empty: string;
  onChanged: () => void;
}) {
  const id = `deals-${role}-title`;
  return (
    <section className="panel" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {deals.length === 0 ? (
        <EmptyState>
          <p>{empty}</p>
        </EmptyState>
      ) : (
        <ul className="rows">
          {deals.map((deal) => (
            <DealRow key={deal.id} deal={deal} role={role} onChanged={onChanged} />
          ))}
        </ul>
      )}
    </section>
  );
}
