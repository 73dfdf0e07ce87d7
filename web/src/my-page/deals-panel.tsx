import { useTranslation } from 'react-i18next';
import type { MyDealFragment } from '../__generated__/graphql';
import { EmptyState } from '../ui/empty-state';
import { DealRow, type DealParties, type DealRole } from './deal-row';

/** My sales (거래완료) or my purchases (구매내역), newest first, each with its history. */
export function DealsPanel({
  role,
  deals,
  parties,
  changed,
  onChanged,
}: {
  role: DealRole;
  deals: MyDealFragment[];
  parties: ReadonlyMap<string, DealParties>;
  changed: ReadonlySet<string>;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  if (deals.length === 0)
    return (
      <EmptyState>
        <p>{role === 'seller' ? t('myPage.emptySold') : t('myPage.emptyPurchases')}</p>
      </EmptyState>
    );
  return (
    <ul className="rows" aria-label={role === 'seller' ? t('myPage.tabs.sold') : t('myPage.tabs.purchases')}>
      {deals.map((deal) => (
        <DealRow
          key={deal.id}
          deal={deal}
          role={role}
          parties={parties.get(deal.id)}
          changed={changed.has(deal.id)}
          onChanged={onChanged}
        />
      ))}
    </ul>
  );
}
