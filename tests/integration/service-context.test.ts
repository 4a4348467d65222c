import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

// The service rule of docs/style.md ("Services"): every exported function of a service module takes
// the service context first, `fn(ctx, …)`, with `ctx` typed as a context (ServiceContext, AppContext,
// a Pick of one, or a context type named so). Two other shapes are allowed, both from the same rule:
//  - a building block that runs inside its caller's transaction takes the transaction itself, `tx`;
//  - a pure helper (no database, no config, no clock) listed in PURE_HELPERS with its reason.
// Checked over the source text (like import-graph.test.ts), so a new export in one of these modules
// that takes a `db`, a time zone or a clock first fails here, naming the function.
const root = join(import.meta.dirname, "..", "..");

/** The service modules, as globs under src/ (`*` is one path segment, `{a,b}` a choice). */
const SERVICE_MODULES = [
  "flows/*.ts",
  "auth/{users,sessions,sign-up}.ts",
  "catalog/{products,search,manage,stock}.ts",
  "customers/{service,anonymize,search,stripe-customers}.ts",
  "orders/{queries,order-list,customer-reads,checkout,cart,wishlist,wishlist-demand,actions,payment-hooks,restock,lifecycle}.ts",
  "monitoring/{issues,open-summary,triage,immediate,runner}.ts",
  "audit/{service,about}.ts",
  "analytics/dirty.ts",
  "subscriptions/{discounts,upsert}.ts",
  "payments/orders-port.ts",
  "catalog/{browse,images,product-art}.ts",
  "orders/shipping.ts",
  "fx/store.ts",
  "payments/inbox/store.ts",
  "analytics/params.ts",
  "analytics/converted/{kpis,products,reconcile,series}.ts",
  "analytics/queries/{cohorts,currencies-in-range,currency,customer-mrr,movements-by-month,mrr-by-plan,products,series,subscriber-cohorts}.ts",
  "analytics/raw/kpis.ts",
  "analytics/snapshots/{build,dirty-rebuild,status}.ts",
];

/** Exported functions of the service modules that are pure, with why they take no context. */
const PURE_HELPERS: Record<string, { names: string[]; why: string }> = {
  "catalog/products.ts": {
    names: ["stockStatus", "availableUnits", "stockLevels"],
    why: "what a product row says about its stock; views call them on rows they already hold",
  },
  "catalog/stock.ts": { names: ["staysAboveFloor"], why: "a SQL condition built from a number" },
  "customers/anonymize.ts": { names: ["pseudonymFor"], why: "HMAC of a secret and an id" },
  "orders/customer-reads.ts": { names: ["orderNumberOf"], why: "parses what a person typed" },
  "orders/lifecycle.ts": {
    names: ["canTransition", "transition"],
    why: "the state machine's rule and the column changes of one move; applyTransition writes them",
  },
  "monitoring/issues.ts": { names: ["toIssue"], why: "shapes a row already read" },
  "auth/sessions.ts": { names: ["sessionUserOf"], why: "what a session keeps of a user row already read" },
  "catalog/browse.ts": { names: ["priceBounds"], why: "what a typed price range means in a currency" },
  "catalog/images.ts": { names: ["sniffImageType"], why: "reads the magic numbers of bytes in hand" },
  "catalog/product-art.ts": {
    names: ["initialsOf", "productArtSvg"],
    why: "draws a product's placeholder picture from its name, category and SKU",
  },
  "orders/shipping.ts": { names: ["parseShipment"], why: "validates what ops typed" },
  "payments/inbox/store.ts": {
    names: ["foreignState", "isDuplicateEvent"],
    why: "how an event of the other livemode starts, at a time the caller gives; which failure means a duplicate delivery",
  },
  "analytics/snapshots/dirty-rebuild.ts": { names: ["contiguous"], why: "groups day strings into runs" },
  "payments/orders-port.ts": {
    names: ["restockLinesFor", "parseRestockLines", "formatRestockLines", "lockOrderThen"],
    why: "read and write the restock lines a refund's metadata carries; lockOrderThen builds a statement, run later with tx first",
  },
};

function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^$()|[\]\\]/g, "\\$&")
    .replace(/\{([^}]+)\}/g, (_, alts: string) => `(?:${alts.split(",").join("|")})`)
    .replace(/\*/g, "[^/]*");
  return new RegExp(`^${body}$`);
}

/** Every shipped service module: path under src/ ("/" separators) → text. */
function serviceModules(): Map<string, string> {
  const patterns = SERVICE_MODULES.map(globToRegExp);
  const files = new Map<string, string>();
  for (const e of readdirSync(join(root, "src"), { recursive: true, withFileTypes: true })) {
    if (!e.isFile() || !/\.tsx?$/.test(e.name) || /\.test\.tsx?$/.test(e.name)) continue;
    const full = join(e.parentPath, e.name);
    const path = relative(join(root, "src"), full).split(sep).join("/");
    if (patterns.some((p) => p.test(path))) files.set(path, readFileSync(full, "utf8"));
  }
  return files;
}

/** The exported functions of one file that break the rule, as "path: name(first parameter)". */
function violationsIn(path: string, text: string, pure: readonly string[] = []): string[] {
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const check = (name: string, params: ts.NodeArray<ts.ParameterDeclaration>) => {
    if (pure.includes(name)) return;
    const first = params[0];
    const param = first?.name.getText(file) ?? "";
    const type = first?.type?.getText(file) ?? "";
    if (param === "ctx" && /Context\b/.test(type)) return;
    if (param === "tx") return;
    found.push(`${path}: ${name}(${first ? first.getText(file) : ""})`);
  };
  for (const statement of file.statements) {
    const modifiers = ts.canHaveModifiers(statement) ? ts.getModifiers(statement) : undefined;
    if (!modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    if (ts.isFunctionDeclaration(statement) && statement.name)
      check(statement.name.text, statement.parameters);
    if (ts.isVariableStatement(statement))
      for (const d of statement.declarationList.declarations) {
        const init = d.initializer;
        if (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)))
          check(d.name.getText(file), init.parameters);
      }
  }
  return found;
}

describe("service context first", () => {
  const modules = serviceModules();

  it("finds the service modules the globs name", () => {
    for (const glob of SERVICE_MODULES) {
      const pattern = globToRegExp(glob);
      expect(
        [...modules.keys()].some((p) => pattern.test(p)),
        glob,
      ).toBe(true);
    }
    expect(modules.size).toBeGreaterThan(20);
  });

  it("every exported function of a service module takes ctx first (or tx, or is a listed pure helper)", () => {
    const found = [...modules].flatMap(([path, text]) => violationsIn(path, text, PURE_HELPERS[path]?.names));
    expect(found).toEqual([]);
  });

  it("every listed pure helper still exists and still takes no context", () => {
    for (const [path, { names }] of Object.entries(PURE_HELPERS)) {
      const text = modules.get(path);
      expect(text, `${path} is not a service module any more`).toBeDefined();
      // Without the allow-list each listed helper is reported, so each is still exported and context-free.
      const reported = violationsIn(path, text!).map((v) => v.slice(`${path}: `.length).split("(")[0]);
      expect(reported.sort(), path).toEqual([...names].sort());
    }
  });

  it("reports a service that takes a db, a time zone or a clock first, and accepts ctx and tx", () => {
    const source = [
      'import type { ServiceContext } from "../context.ts";',
      "export async function listThings(db: Db, filter: Filter) {}",
      "export const countThings = async (timezone: string) => 0;",
      "export function lastThing(ctx: Db) {}",
      'export async function getThing(ctx: Pick<ServiceContext, "db">, id: number) {}',
      "export async function lockThing(tx: Db, id: number) {}",
      "export async function* eachThing(ctx: ServiceContext) {}",
      "async function helper(db: Db) {}",
    ].join("\n");
    expect(violationsIn("things/service.ts", source)).toEqual([
      "things/service.ts: listThings(db: Db)",
      "things/service.ts: countThings(timezone: string)",
      "things/service.ts: lastThing(ctx: Db)",
    ]);
  });
});
