import { useMutation } from '@apollo/client';
import { InlineConfirm } from '../ui/inline-confirm';
import { DELETE_PRODUCT } from './product.operations';

const messages: Record<string, string> = {
  PRODUCT_SOLD: 'A sold product stays as the record of the deal; it cannot be deleted.',
  NOT_PRODUCT_OWNER: 'Only the seller can delete this product.',
  PRODUCT_NOT_FOUND: 'This product is already gone.',
};

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
  const [deleteProduct] = useMutation(DELETE_PRODUCT, {
    update: (cache) => {
      cache.evict({ fieldName: 'products' });
      cache.gc();
    },
  });
  return (
    <InlineConfirm
      trigger={{ label: 'Delete', ariaLabel: `Delete ${title}` }}
      question={`Delete “${title}”?`}
      confirm={{ label: 'Yes, delete', busyLabel: 'Deleting…' }}
      run={async () => {
        await deleteProduct({ variables: { id: productId } });
        onDeleted?.();
      }}
      messages={messages}
      fallback="The product could not be deleted; try again."
    />
  );
}
