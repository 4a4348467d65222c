export {
  browseCatalog,
  CATALOG_PAGE_SIZE,
  type CatalogPage,
  type CatalogQuery,
  catalogQuerySchema,
  priceBounds,
} from "./browse.ts";
export { InsufficientStockError } from "./errors.ts";
export {
  MAX_PRODUCT_IMAGE_BYTES,
  type ProductImageType,
  readProductImage,
  sniffImageType,
  storeProductImage,
} from "./images.ts";
export {
  adjustStock,
  createProduct,
  productCreateSchema,
  productUpdateSchema,
  stockAdjustSchema,
  updateProduct,
} from "./manage.ts";
export { initialsOf, productArtSvg } from "./product-art.ts";
export {
  availableUnits,
  getProduct,
  getProductsByIds,
  LOW_STOCK_THRESHOLD,
  listProducts,
  listStockMovements,
  type Product,
  type StockStatus,
  stockLevels,
  stockStatus,
  withProducts,
} from "./products.ts";
export { searchProducts } from "./search.ts";
export { type Reservation, reserveStock, returnStock } from "./stock.ts";
