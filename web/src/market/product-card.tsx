import { productPath } from '../routing/routes';
import { Link } from '../routing/link';
import { Price } from '../ui/price';
import { ProductImage } from './product-image';

export interface ProductSummary {
  id: string;
  title: string;
  priceKrw: number;
  imageUrl?: string | null;
  seller: { nickname: string };
}

export function ProductCard({ product }: { product: ProductSummary }) {
  return (
    <li className="product-card">
      <ProductImage url={product.imageUrl} title={product.title} />
      <div className="product-card__body">
        <h2 className="product-card__title">
          <Link to={productPath(product.id)}>{product.title}</Link>
        </h2>
        <Price krw={product.priceKrw} />
        <p className="muted">by {product.seller.nickname}</p>
      </div>
    </li>
  );
}
