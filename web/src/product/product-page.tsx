import { useQuery } from '@apollo/client';
import { Link } from '../routing/link';
import { navigate } from '../routing/navigation';
import { useSession } from '../session/session-context';
import { EmptyState } from '../ui/empty-state';
import { ErrorState } from '../ui/error-state';
import { formatDateTime } from '../ui/format';
import { LoadingState } from '../ui/loading-state';
import { Price } from '../ui/price';
import { StatusBadge } from '../ui/status-badge';
import { ProductImage } from '../market/product-image';
import { BuyPanel } from './buy-panel';
import { DeleteProductButton } from './delete-product-button';
import { PRODUCT_DETAIL } from './product.operations';

export function ProductPage({ productId }: { productId: string }) {
  const session = useSession();
  const { data, loading, error, refetch } = useQuery(PRODUCT_DETAIL, {
    variables: { id: productId },
    fetchPolicy: 'cache-and-network',
  });
  const product = data?.product;

  if (!data && loading) return <LoadingState what="the product" />;
  if (!data && error) return <ErrorState error={error} retry={() => void refetch()} />;
  if (!product) {
    return (
      <EmptyState>
        <h1>Not found</h1>
        <p>This product does not exist or was deleted.</p>
        <p>
          <Link to="/">Back to the market</Link>
        </p>
      </EmptyState>
    );
  }

  const mine = session?.member.id === product.seller.id;
  return (
    <article className="product-detail" aria-labelledby="product-title">
      <ProductImage url={product.imageUrl} title={product.title} large />
      <div className="product-detail__body">
        <p>
          <Link to="/">← Market</Link>
        </p>
        <h1 id="product-title">{product.title}</h1>
        <p className="product-detail__price">
          <Price krw={product.priceKrw} /> <StatusBadge status={product.status} />
        </p>
        <p className="muted">
          Sold by {product.seller.nickname}
          {mine && ' (you)'} · listed {formatDateTime(product.registeredAt)}
        </p>
        {product.description ? (
          <p className="product-detail__description">{product.description}</p>
        ) : (
          <p className="muted">No description.</p>
        )}
        {mine ? (
          product.status === 'ON_SALE' && (
            <DeleteProductButton
              productId={product.id}
              title={product.title}
              onDeleted={() => navigate('/my-page')}
            />
          )
        ) : product.status !== 'ON_SALE' ? (
          <p className="notice notice--warning">This item has been sold.</p>
        ) : session ? (
          <BuyPanel productId={product.id} />
        ) : (
          <p>
            <Link className="button" to={`/log-in?next=${encodeURIComponent(`/products/${product.id}`)}`}>
              Log in to buy
            </Link>
          </p>
        )}
      </div>
    </article>
  );
}
