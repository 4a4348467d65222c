export { InsufficientStockError } from "./errors.ts";
export {
  adjustStock,
  createProduct,
  productCreateSchema,
  productUpdateSchema,
  stockAdjustSchema,
  updateProduct,
} from "./manage.ts";
export {
  availableUnits,
  getProduct,
  getProductsByIds,
  LOW_STOCK_THRESHOLD,
  listProducts,
  listStockMovements,
  type Product,
  type StockStatus,
  stockStatus,
  withProducts,
} from "./products.ts";
export { searchProducts } from "./search.ts";
export { type Reservation, reserveStock, returnStock } from "./stock.ts";
