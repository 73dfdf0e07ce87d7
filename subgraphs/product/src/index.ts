export { productConfigSchema, type ProductConfig } from './config.js';
export { startProductService, productTypeDefs, type ProductService } from './product.service.js';
