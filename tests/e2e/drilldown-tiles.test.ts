import { afterAll, beforeAll, describe } from "vitest";
import { type E2e, startE2e } from "./support/app.ts";
import { tileDrilldownTests } from "./support/records.ts";

// The executive and subscriptions dashboards' tiles; the ops and product dashboards' are in
// drilldown.test.ts (two files, so the browser suite's two workers share the work evenly).
let e2e: E2e;
beforeAll(async () => {
  e2e = await startE2e();
}, 120_000);
afterAll(() => e2e?.stop());

describe("drill-down from every tile", () => {
  tileDrilldownTests(() => e2e, ["/dashboard", "/dashboard/subscriptions"]);
});
