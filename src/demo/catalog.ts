import type { Actor } from "../audit/index.ts";
import { createProduct, type Product } from "../catalog/index.ts";
import type { ServiceContext } from "../context.ts";

const CATEGORIES: Array<{ name: string; items: string[]; price: [number, number] }> = [
  {
    name: "Coffee",
    items: [
      "Espresso Beans",
      "Filter Roast",
      "Single Origin",
      "Decaf Blend",
      "Cold Brew Pack",
      "House Blend",
      "Green Beans",
      "Sample Flight",
    ],
    price: [900, 3200],
  },
  {
    name: "Brewing",
    items: [
      "Pour-over Dripper",
      "French Press",
      "Gooseneck Kettle",
      "Hand Grinder",
      "Scale",
      "Moka Pot",
      "AeroPress",
      "Siphon Brewer",
    ],
    price: [1800, 14900],
  },
  {
    name: "Tea",
    items: [
      "Green Tea",
      "Earl Grey",
      "Oolong",
      "Rooibos",
      "Matcha Tin",
      "Chai Blend",
      "Herbal Infusion",
      "Darjeeling",
    ],
    price: [700, 4500],
  },
  {
    name: "Mugs",
    items: [
      "Stoneware Mug",
      "Travel Tumbler",
      "Glass Cup",
      "Espresso Cup Set",
      "Enamel Mug",
      "Latte Bowl",
      "Teapot",
      "Carafe",
    ],
    price: [1200, 4800],
  },
  {
    name: "Accessories",
    items: [
      "Filter Papers",
      "Milk Jug",
      "Tamper",
      "Knock Box",
      "Cleaning Kit",
      "Storage Canister",
      "Dosing Cup",
      "Tea Strainer",
    ],
    price: [500, 5500],
  },
  {
    name: "Gifts",
    items: [
      "Tasting Box",
      "Gift Card Set",
      "Holiday Bundle",
      "Starter Kit",
      "Subscription Box",
      "Barista Set",
      "Tea Sampler",
      "Mug Duo",
    ],
    price: [2500, 12000],
  },
];
const VARIANTS = ["Classic", "Dark", "Light", "Large", "Small", "Limited", "Organic", "Pro"];

export interface DemoCatalog {
  /** Everyday products (plenty of stock). */
  regular: Product[];
  /** Preorder-only products (no stock yet, ship date after the history ends). */
  preorder: Product[];
}

/**
 * About 300 products in six categories through the catalog service: costs on most (some without,
 * so margin coverage is visible), a few preorder products shipping after the history ends.
 */
export async function seedCatalog(
  ctx: ServiceContext,
  actor: Actor,
  rand: () => number,
  shipDate: string,
): Promise<DemoCatalog> {
  const regular: Product[] = [];
  const preorder: Product[] = [];
  let n = 0;
  for (const category of CATEGORIES) {
    for (const item of category.items) {
      for (const variant of VARIANTS.slice(0, 5 + (n % 3))) {
        n += 1;
        const [lo, hi] = category.price;
        const price = Math.round((lo + rand() * (hi - lo)) / 100) * 100 - 1;
        const cost = rand() < 0.12 ? null : Math.round(price * (0.35 + rand() * 0.25));
        regular.push(
          await createProduct(
            ctx,
            {
              sku: `DEMO-${String(n).padStart(4, "0")}`,
              name: `${variant} ${item}`,
              description: `${variant} ${item.toLowerCase()} from the ${category.name.toLowerCase()} range.`,
              category: category.name,
              priceAmount: price,
              currency: "usd",
              unitCostAmount: cost,
              stockOnHand: 100_000,
            },
            actor,
          ),
        );
      }
    }
  }
  for (const [i, name] of ["Next-Gen Grinder", "Anniversary Roast", "Ceramic Brewer V2"].entries()) {
    preorder.push(
      await createProduct(
        ctx,
        {
          sku: `DEMO-PRE-${i + 1}`,
          name,
          description: `${name}, shipping ${shipDate}.`,
          category: i === 1 ? "Coffee" : "Brewing",
          priceAmount: [18900, 2900, 6900][i]!,
          currency: "usd",
          unitCostAmount: [9000, 1100, 2800][i]!,
          stockOnHand: 0,
          allowPreorder: true,
          preorderLimit: 500,
          preorderShipDate: shipDate,
        },
        actor,
      ),
    );
  }
  return { regular, preorder };
}
