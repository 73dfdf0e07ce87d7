import { useQuery } from '@apollo/client';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { firstErrorWithCode } from '../graphql/graphql-errors';
import { Link } from '../routing/link';
import { navigate } from '../routing/navigation';
import { isProductId, myPagePath } from '../routing/routes';
import { useDocumentTitle } from '../routing/use-document-title';
import { useSession } from '../session/session-context';
import { ErrorState } from '../ui/error-state';
import { LoadingState } from '../ui/loading-state';
import { Price } from '../ui/price';
import { ProductImage } from '../ui/product-image';
import { RelativeTime } from '../ui/relative-time';
import { StatusBadge } from '../ui/status-badge';
import { BuyPanel, type BuyRefusal } from './buy-panel';
import { DeleteProductButton } from './delete-product-button';
import { MyPurchaseNotice } from './my-purchase-notice';
import { ProductNotFound } from './product-not-found';
import { MY_PURCHASE_OF, PRODUCT_DETAIL } from './product.operations';
import { useGoneProduct } from './use-gone-product';
import { useLiveProduct } from './use-live-product';
import { useSaleRound } from './use-sale-round';
import { useRoomForBuyBar } from './use-room-for-buy-bar';

export function ProductPage({ productId }: { productId: string }) {
  // Not a product id at all: nothing to ask the server.
  if (!isProductId(productId)) return <ProductNotFound />;
  return <ProductDetail productId={productId} />;
}

/**
 * One product, live: its status changes on the page while anyone looks at it. A signed-in member's
 * own deal of it is asked beside the product (`myPurchaseOf`, its own request), so a reload or a second
 * visit still says the item is theirs; the purchase service being away costs only that notice,
 * not the page.
 */
function ProductDetail({ productId }: { productId: string }) {
  const { t } = useTranslation();
  const session = useSession();
  const { data, loading, error, refetch } = useQuery(PRODUCT_DETAIL, {
    variables: { id: productId },
    fetchPolicy: 'cache-and-network',
  });
  // Asked only signed in (`useSession()` is null for a visitor: the session is restored before the
  // first render, so there is no "not known yet"); a visitor's would be refused UNAUTHENTICATED,
  // one more request per view. The purchase service being away costs only the notice, not the page.
  const own = useQuery(MY_PURCHASE_OF, {
    variables: { productId },
    skip: !session,
    fetchPolicy: 'cache-and-network',
    errorPolicy: 'all',
  });
  const reload = () => {
    if (session) void own.refetch().catch(() => undefined);
    return refetch().catch(() => undefined);
  };
  const liveChange = useLiveProduct(productId, reload, (change) => {
    if (change === 'BACK_ON_SALE') void reload(); // my own deal of it may have been cancelled
  });
  const { product, gone } = useGoneProduct(productId, data?.product);
  const saleRound = useSaleRound(product?.status);
  // A buy refused because the item can no longer be had: the page asks for it again, so its badge
  // does not go on saying 판매중 when the live status missed the sale or the deletion (a dropped
  // socket). "Sold or taken down" may have been charged and refunded: that notice stays in the bar.
  const [refusedAs, setRefusedAs] = useState<BuyRefusal>();
  const onUnavailable = (refusal: BuyRefusal) => {
    setRefusedAs(refusal);
    void reload();
  };
  useDocumentTitle(product?.title);
  const buyBar = useRoomForBuyBar();

  if (!product && loading) return <LoadingState />;
  if (!product && firstErrorWithCode(error, 'BAD_USER_INPUT')) return <ProductNotFound />;
  if (!product && error) return <ErrorState error={error} retry={() => refetch()} />;
  if (!product) return <ProductNotFound />;

  const mine = session?.member.id === product.seller.id;
  const deleted = liveChange === 'DELETED' || gone;
  const onSale = product.status === 'ON_SALE' && !deleted;
  // Mine and standing: a cancelled (refunded) deal says nothing here, nor one whose item is back on sale.
  const myPurchase =
    session && !onSale && own.data?.myPurchaseOf?.status === 'PAID' ? own.data.myPurchaseOf : undefined;
  return (
    <article className="product-detail" aria-labelledby="product-title">
      <ProductImage url={product.imageUrl} title={product.title} variant="large" />
      <div className="product-detail__body">
        <p className="product-detail__back">
          <Link to="/">← {t('product.back')}</Link>
        </p>
        <h1 id="product-title" className="product-detail__title">
          {product.title}
        </h1>
        <p className="product-detail__price">
          <Price krw={product.priceKrw} /> <StatusBadge status={deleted ? 'DELETED' : product.status} />
        </p>
        <p className="muted">
          {t('product.soldBy', { nickname: product.seller.nickname })}
          {mine && ` ${t('product.you')}`} ·{' '}
          <RelativeTime iso={product.registeredAt} template={(time) => t('product.listed', { time })} />
        </p>
        <p className="visually-hidden" role="status">
          {liveChange === 'SOLD'
            ? t('product.soldLive')
            : liveChange === 'BACK_ON_SALE'
              ? t('product.backOnSaleLive')
              : ''}
        </p>
        {product.description ? (
          <p className="product-detail__description">{product.description}</p>
        ) : (
          <p className="muted">{t('product.noDescription')}</p>
        )}
        {deleted && <p className="notice notice--warning">{t('product.deletedLive')}</p>}
        {mine
          ? onSale && (
              <DeleteProductButton
                productId={product.id}
                title={product.title}
                onDeleted={() => navigate(myPagePath('selling'))}
              />
            )
          : (!deleted || refusedAs === 'already-sold') && (
              <div ref={buyBar} className="buy-bar" data-status={product.status}>
                <Price krw={product.priceKrw} className="price buy-bar__price" />
                {myPurchase ? (
                  <MyPurchaseNotice />
                ) : session ? (
                  <BuyPanel
                    key={saleRound}
                    productId={product.id}
                    onSale={onSale}
                    onUnavailable={onUnavailable}
                  />
                ) : onSale ? (
                  <Link
                    className="button button--primary button--wide"
                    to={`/log-in?next=${encodeURIComponent(`/products/${product.id}`)}`}
                  >
                    {t('product.logInToBuy')}
                  </Link>
                ) : (
                  <p className="notice notice--warning">{t('product.sold')}</p>
                )}
              </div>
            )}
      </div>
    </article>
  );
}
