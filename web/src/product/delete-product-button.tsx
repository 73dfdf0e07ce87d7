import { useMutation } from '@apollo/client';
import { useState } from 'react';
import { errorCode, graphQLErrorsOf } from '../graphql/graphql-errors';
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
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState<string>();
  const [deleteProduct, { loading }] = useMutation(DELETE_PRODUCT, {
    update: (cache) => {
      cache.evict({ fieldName: 'products' });
      cache.gc();
    },
  });

  const confirm = async () => {
    setMessage(undefined);
    try {
      await deleteProduct({ variables: { id: productId } });
      setConfirming(false);
      onDeleted?.();
    } catch (error) {
      const first = graphQLErrorsOf(error)[0];
      setMessage(
        messages[errorCode(first) ?? ''] ?? first?.message ?? 'The product could not be deleted; try again.',
      );
    }
  };

  return (
    <div className="inline-confirm">
      {confirming ? (
        <>
          <span>Delete “{title}”?</span>
          <button
            type="button"
            className="button button--danger"
            onClick={() => void confirm()}
            disabled={loading}
          >
            {loading ? 'Deleting…' : 'Yes, delete'}
          </button>
          <button type="button" className="button button--secondary" onClick={() => setConfirming(false)}>
            Keep it
          </button>
        </>
      ) : (
        <button
          type="button"
          className="button button--secondary"
          onClick={() => setConfirming(true)}
          aria-label={`Delete ${title}`}
        >
          Delete
        </button>
      )}
      {message && (
        <p className="notice notice--error" role="alert">
          {message}
        </p>
      )}
    </div>
  );
}
