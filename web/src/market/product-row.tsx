import { Link } from '../routing/link';
import { productPath } from '../routing/routes';
import { Price } from '../ui/price';
import { ProductImage } from '../ui/product-image';
import { RelativeTime } from '../ui/relative-time';

export interface ProductSummary {
  id: string;
  title: string;
  priceKrw: number;
  imageUrl?: string | null;
  registeredAt: string;
  seller: { nickname: string };
}

/**
 * One product in the market list, phone first: thumbnail, a title of at most two lines, price, and
 * how long ago it was listed. The whole row is clickable — its title link stretches over it — yet
 * stays one link with the title as its name for keyboards and screen readers.
 */
export function ProductRow({ product }: { product: ProductSummary }) {
  return (
    <li className="product-row" data-product-id={product.id}>
      <ProductImage url={product.imageUrl} title={product.title} />
      <div className="product-row__body">
        <h2 className="product-row__title">
          <Link className="stretched-link" to={productPath(product.id)}>
            {product.title}
          </Link>
        </h2>
        <p className="product-row__meta">
          {product.seller.nickname} · <RelativeTime iso={product.registeredAt} />
        </p>
        <Price krw={product.priceKrw} className="price product-row__price" />
      </div>
    </li>
  );
}
