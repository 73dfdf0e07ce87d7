import { DeleteProductButton } from '../product/delete-product-button';
import { Link } from '../routing/link';
import { productPath } from '../routing/routes';
import { Price } from '../ui/price';
import { StatusBadge } from '../ui/status-badge';
import type { MyProduct } from './my-products-section';

export function MyProductRow({ product, onChanged }: { product: MyProduct; onChanged: () => void }) {
  return (
    <li className="row" data-product-id={product.id}>
      <div className="row__main">
        {product.status === 'DELETED' ? (
          <span className="row__title">{product.title}</span>
        ) : (
          <Link className="row__title" to={productPath(product.id)}>
            {product.title}
          </Link>
        )}
        <Price krw={product.priceKrw} />
      </div>
      <div className="row__side">
        <StatusBadge status={product.status} />
        {product.status === 'ON_SALE' && (
          <DeleteProductButton productId={product.id} title={product.title} onDeleted={onChanged} />
        )}
      </div>
    </li>
  );
}
