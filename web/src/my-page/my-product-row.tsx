import { useTranslation } from 'react-i18next';
import type { MyPageQuery } from '../__generated__/graphql';
import { DeleteProductButton } from '../product/delete-product-button';
import { Link } from '../routing/link';
import { productPath } from '../routing/routes';
import { Price } from '../ui/price';
import { ProductImage } from '../ui/product-image';
import { RelativeTime } from '../ui/relative-time';
import { StatusBadge } from '../ui/status-badge';

export type MyProduct = MyPageQuery['myPage']['productsConnection']['edges'][number]['node'];

export function MyProductRow({
  product,
  changed,
  onChanged,
}: {
  product: MyProduct;
  changed: boolean;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const deleted = product.status === 'DELETED';
  return (
    <li
      className={changed ? 'row row--changed' : 'row'}
      data-product-id={product.id}
      data-row-title={product.title}
    >
      <ProductImage url={product.imageUrl} title={product.title} />
      <div className="row__main">
        {deleted ? (
          <span className="row__title">{product.title}</span>
        ) : (
          <Link className="row__title" to={productPath(product.id)}>
            {product.title}
          </Link>
        )}
        <Price krw={product.priceKrw} />
        <span className="row__meta">
          <RelativeTime iso={product.registeredAt} template={(time) => t('market.listed', { time })} />
        </span>
      </div>
      <div className="row__side">
        <StatusBadge status={product.status} />
        {product.status === 'ON_SALE' && (
          <DeleteProductButton
            productId={product.id}
            title={product.title}
            onDeleted={() => {
              // The row folds away with the deleted ones: focus stays in this tab's panel.
              document.getElementById('panel-selling')?.focus({ preventScroll: true });
              onChanged();
            }}
          />
        )}
      </div>
    </li>
  );
}
