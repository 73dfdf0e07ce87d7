import { useTranslation } from 'react-i18next';
import { Link } from '../routing/link';
import { useDocumentTitle } from '../routing/use-document-title';

/** An unknown, deleted or malformed product address: a page of its own, with a heading and a way on. */
export function ProductNotFound() {
  const { t } = useTranslation();
  useDocumentTitle(t('product.notFoundTitle'));
  return (
    <section className="panel narrow" aria-labelledby="product-not-found-title" data-product-not-found="true">
      <h1 id="product-not-found-title">{t('product.notFoundTitle')}</h1>
      <p>{t('product.notFoundBody')}</p>
      <p>
        <Link to="/">{t('product.backToMarket')}</Link>
      </p>
    </section>
  );
}
