import type { MyPageQuery } from '../__generated__/graphql';
import { Link } from '../routing/link';
import { EmptyState } from '../ui/empty-state';
import { MyProductRow } from './my-product-row';

export type MyProduct = MyPageQuery['myPage']['products'][number];

export function MyProductsSection({ products, onChanged }: { products: MyProduct[]; onChanged: () => void }) {
  return (
    <section className="panel" aria-labelledby="my-products-title">
      <h2 id="my-products-title">My products</h2>
      {products.length === 0 ? (
        <EmptyState>
          <p>
            You are not selling anything. <Link to="/sell">Sell an item</Link>
          </p>
        </EmptyState>
      ) : (
        <ul className="rows">
          {products.map((product) => (
            <MyProductRow key={product.id} product={product} onChanged={onChanged} />
          ))}
        </ul>
      )}
    </section>
  );
}
