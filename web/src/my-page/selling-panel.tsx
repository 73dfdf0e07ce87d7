import { useTranslation } from 'react-i18next';
import { Link } from '../routing/link';
import { EmptyState } from '../ui/empty-state';
import { MyProductRow, type MyProduct } from './my-product-row';

/** What I am selling now; the products I deleted are folded away below. */
export function SellingPanel({
  products,
  hasMore,
  changed,
  onChanged,
}: {
  products: MyProduct[];
  /** More of my products to load ("더 보기" below): no empty state while there may be some on sale. */
  hasMore: boolean;
  changed: ReadonlySet<string>;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const onSale = products.filter((product) => product.status === 'ON_SALE');
  const deleted = products.filter((product) => product.status === 'DELETED');
  return (
    <>
      {onSale.length === 0 && hasMore ? null : onSale.length === 0 ? (
        <EmptyState>
          <p>
            {t('myPage.emptySelling')} <Link to="/sell">{t('myPage.sellSomething')}</Link>
          </p>
        </EmptyState>
      ) : (
        <ul className="rows" aria-label={t('myPage.tabs.selling')}>
          {onSale.map((product) => (
            <MyProductRow
              key={product.id}
              product={product}
              changed={changed.has(product.id)}
              onChanged={onChanged}
            />
          ))}
        </ul>
      )}
      {deleted.length > 0 && (
        <details className="folded">
          <summary>{t('myPage.deleted', { count: deleted.length })}</summary>
          <ul className="rows">
            {deleted.map((product) => (
              <MyProductRow key={product.id} product={product} changed={false} onChanged={onChanged} />
            ))}
          </ul>
        </details>
      )}
    </>
  );
}
