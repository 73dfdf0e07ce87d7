import { useMutation } from '@apollo/client';
import { useTranslation } from 'react-i18next';
import { InlineConfirm } from '../ui/inline-confirm';
import { DELETE_PRODUCT } from './product.operations';

/** Deletes one of my products, after a confirmation. */
export function DeleteProductButton({
  productId,
  title,
  onDeleted,
}: {
  productId: string;
  title: string;
  onDeleted?: () => void;
}) {
  const { t } = useTranslation();
  const [deleteProduct] = useMutation(DELETE_PRODUCT, {
    update: (cache) => {
      cache.evict({ fieldName: 'products' });
      cache.gc();
    },
  });
  return (
    <InlineConfirm
      trigger={{ label: t('deleteProduct.trigger'), ariaLabel: t('deleteProduct.triggerFor', { title }) }}
      question={t('deleteProduct.question', { title })}
      confirm={{ label: t('deleteProduct.confirm'), busyLabel: t('deleteProduct.busy') }}
      keepLabel={t('deleteProduct.keep')}
      run={async () => {
        await deleteProduct({ variables: { id: productId } });
        onDeleted?.();
      }}
      messages={{
        PRODUCT_SOLD: t('deleteProduct.PRODUCT_SOLD'),
        NOT_PRODUCT_OWNER: t('deleteProduct.NOT_PRODUCT_OWNER'),
        PRODUCT_NOT_FOUND: t('deleteProduct.PRODUCT_NOT_FOUND'),
      }}
      fallback={t('deleteProduct.failed')}
    />
  );
}
