import type { JSX } from "hono/jsx/jsx-runtime";
import { describe, expect, it } from "vitest";
import { FilterSelect } from "./filter-select.tsx";

const render = async (node: JSX.Element) => (await node).toString();
const selectedOf = (html: string) =>
  [...html.matchAll(/<option value="([^"]*)" selected=""/g)].map((m) => m[1]);

describe("FilterSelect", () => {
  it("offers the 'any' choice first and selects it when no filter is set", async () => {
    const html = await render(
      <FilterSelect
        label="Status"
        name="status"
        any="any"
        options={["failed", "processed"]}
        selected={undefined}
      />,
    );
    expect(html).toContain('<select name="status">');
    expect(html.indexOf('value=""')).toBeLessThan(html.indexOf('value="failed"'));
    expect(selectedOf(html)).toEqual([""]);
  });

  it("selects exactly the filtered value, with labels apart from values", async () => {
    const html = await render(
      <FilterSelect
        label="Check"
        name="check"
        any="all"
        anyValue="all"
        options={[
          { value: "a", label: "Check A" },
          { value: "b", label: "Check B" },
        ]}
        selected="b"
      />,
    );
    expect(selectedOf(html)).toEqual(["b"]);
    expect(html).toContain(">Check B</option>");
  });
});
