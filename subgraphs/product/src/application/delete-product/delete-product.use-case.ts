import { ProductNotFound } from '../../domain/product.errors.js';
import type { ProductRepository } from '../ports/product.repository.js';
import type { Clock, UnitOfWork } from '@gaji/platform/ports';

export interface DeleteProductCommand {
  productId: string;
  requesterId: string;
}

/** The seller takes their item off the market (ProductDeleted, DELETED_BY_SELLER). */
export class DeleteProduct {
  constructor(private readonly deps: { products: ProductRepository; uow: UnitOfWork; clock: Clock }) {}

  async execute(command: DeleteProductCommand): Promise<void> {
    const { products, uow, clock } = this.deps;
    await uow.run(async () => {
      const product = await products.load(command.productId);
      if (!product) throw new ProductNotFound();
      product.deleteBySeller(command.requesterId, clock.now());
      await products.save(product);
    });
  }
}
