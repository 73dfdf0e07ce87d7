import { productLookup, productLookupRefusals, type ProductLookupAnswer } from '@gaji/contracts';
import type { ServiceTokenVerifier } from '@gaji/platform/auth';
import { internalRouter } from '@gaji/platform/http';
import type { Logger } from '@gaji/platform/logging';
import type { ErrorRequestHandler, Express } from 'express';
import type { FindProducts } from '../../../application/find-products/find-products.query.js';

export interface InternalProductsDeps {
  findProducts: FindProducts;
  verifyService: ServiceTokenVerifier;
  logger: Logger;
}

/**
 * `GET /internal/products/:productId` (contract: schema/src/internal/product-lookup.contract.ts):
 * purchase asks about a product its projection has not heard of yet, so a product registered a
 * moment ago can be bought before its ProductRegistered reaches purchase. Only services that
 * prove who they are (purchase) may ask; a member's access token is refused.
 */
export function mountInternalProducts(app: Express, deps: InternalProductsDeps): void {
  const router = internalRouter(deps.verifyService);
  router.get('/:productId', async (req, res) => {
    const params = productLookup.params.safeParse(req.params);
    if (!params.success) {
      res.status(productLookupRefusals.BAD_USER_INPUT.status).json({
        code: 'BAD_USER_INPUT',
        field: 'productId',
        message: 'Not a valid product id.',
      });
      return;
    }
    const [product] = await deps.findProducts.byIds([params.data.productId]);
    if (!product) {
      res
        .status(productLookupRefusals.PRODUCT_NOT_FOUND.status)
        .json({ code: 'PRODUCT_NOT_FOUND', message: 'There is no such product.' });
      return;
    }
    const { id, sellerId, title, priceKrw, deletedAt } = product;
    const answer: ProductLookupAnswer = { id, sellerId, title, priceKrw, deleted: deletedAt !== null };
    res.json(answer);
  });
  router.use(failed(deps.logger));
  app.use('/internal/products', router);
}

function failed(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    logger.error({ err: error, path: req.path }, 'internal products API failed');
    res.status(productLookupRefusals.INTERNAL_SERVER_ERROR.status).json({
      code: 'INTERNAL_SERVER_ERROR',
      message: 'Something went wrong on our side; please try again.',
    });
  };
}
