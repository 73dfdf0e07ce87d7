import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { MyDealFragment } from '../__generated__/graphql';
import { Link } from '../routing/link';
import { productPath } from '../routing/routes';
import { DateTime } from '../ui/relative-time';
import { Price } from '../ui/price';
import { ProductImage } from '../ui/product-image';
import { StatusBadge } from '../ui/status-badge';
import { CancelPurchaseButton } from './cancel-purchase-button';

export type DealRole = 'buyer' | 'seller';
/** Who is on the other side, and the product's photo (from other subgraphs; may be missing). */
export interface DealParties {
  counterpart?: string;
  imageUrl?: string | null;
}

/** One deal: the product (linked), the price, who bought or sold it, its status and history. */
export function DealRow({
  deal,
  role,
  parties,
  changed,
  onChanged,
}: {
  deal: MyDealFragment;
  role: DealRole;
  parties: DealParties | undefined;
  changed: boolean;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const title = useRef<HTMLAnchorElement>(null);
  return (
    <li
      className={changed ? 'row row--changed' : 'row'}
      data-purchase-id={deal.id}
      data-row-title={deal.productTitle}
    >
      <ProductImage url={parties?.imageUrl} title={deal.productTitle} />
      <div className="row__main">
        <Link ref={title} className="row__title" to={productPath(deal.productId)}>
          {deal.productTitle}
        </Link>
        <Price krw={deal.priceKrw} />
        {parties?.counterpart && (
          <span className="row__meta">
            {role === 'seller'
              ? t('myPage.buyer', { nickname: parties.counterpart })
              : t('myPage.seller', { nickname: parties.counterpart })}
          </span>
        )}
        <ol className="history" aria-label={t('myPage.history')}>
          {deal.history.map((step) => (
            <li key={`${step.status}-${step.at}`}>
              {t(`status.${step.status}`)} <DateTime iso={step.at} />
            </li>
          ))}
        </ol>
      </div>
      <div className="row__side">
        <StatusBadge status={deal.status} />
        {role === 'buyer' && deal.status === 'PAID' && (
          <CancelPurchaseButton
            purchaseId={deal.id}
            title={deal.productTitle}
            onCancelled={() => {
              title.current?.focus(); // the button goes away; the reader stays on this deal
              onChanged();
            }}
          />
        )}
      </div>
    </li>
  );
}
