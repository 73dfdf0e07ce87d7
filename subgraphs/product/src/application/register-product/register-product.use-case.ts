import { Product } from '../../domain/product.aggregate.js';
import { SellerWithdrawn } from '../../domain/product.errors.js';
import type { ProductView } from '../ports/product-catalog.js';
import type { ProductRepository } from '../ports/product.repository.js';
import type { WithdrawnSellers } from '../ports/withdrawn-sellers.js';
import type { Clock, IdGenerator, UnitOfWork } from '@gaji/platform/ports';
import { productView } from '../product-view.js';

export interface RegisterProductCommand {
  sellerId: string;
  title: string;
  description?: string | null;
  priceKrw: number;
  imageUrl?: string | null;
}

/** A member lists an item for sale (ProductRegistered); a member who has withdrawn may not. */
export class RegisterProduct {
  constructor(
    private readonly deps: {
      products: ProductRepository;
      withdrawnSellers: WithdrawnSellers;
      uow: UnitOfWork;
      clock: Clock;
      newId: IdGenerator;
    },
  ) {}

  async execute(command: RegisterProductCommand): Promise<ProductView> {
    const { products, withdrawnSellers, uow, clock, newId } = this.deps;
    const product = Product.register({ ...command, id: newId(), now: clock.now() });
    await uow.run(async () => {
      if (await withdrawnSellers.has(command.sellerId)) throw new SellerWithdrawn();
      await products.save(product);
    });
    return productView(product.snapshot());
  }
}
