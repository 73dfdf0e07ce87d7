import type { DeleteProduct } from '../../../application/delete-product/delete-product.use-case.js';
import type { FindProducts } from '../../../application/find-products/find-products.query.js';
import type { ListProducts } from '../../../application/list-products/list-products.query.js';
import type { RegisterProduct } from '../../../application/register-product/register-product.use-case.js';

/** Everything the GraphQL adapter may call: use cases and queries, never repositories. */
export interface ProductUseCases {
  registerProduct: RegisterProduct;
  deleteProduct: DeleteProduct;
  findProducts: FindProducts;
  listProducts: ListProducts;
}
