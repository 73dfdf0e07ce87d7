import { Product } from '../../domain/product.aggregate.js';
import type { ProductView } from '../ports/product-catalog.js';
import type { ProductRepository } from '../ports/product.repository.js';
import type { Clock, IdGenerator, UnitOfWork } from '@gaji/platform/ports';
import { productView } from '../product-view.js';

export interface RegisterProductCommand {
  sellerId: string;
  title: string;
  description?: string | null;
  priceKrw: number;
  imageUrl?: string | null;
}

/** A member lists an item for sale (ProductRegistered). */
export class RegisterProduct {
  constructor(
    private readonly deps: { products: ProductRepository; uow: UnitOfWork; clock: Clock; newId: IdGenerator },
  ) {}

  async execute(command: RegisterProductCommand): Promise<ProductView> {
    const { products, uow, clock, newId } = this.deps;
    const product = Product.register({ ...command, id: newId(), now: clock.now() });
    await uow.run(() => products.save(product));
    return productView(product.snapshot());
  }
}
