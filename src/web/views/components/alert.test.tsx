import type { JSX } from "hono/jsx/jsx-runtime";
import { describe, expect, it } from "vitest";
import { Alert, Notices } from "./alert.tsx";

const render = async (node: JSX.Element) => (await node).toString();

describe("Alert", () => {
  it("gives a success the status role, an error the alert role and a warning none", async () => {
    expect(await render(<Alert kind="ok">Saved.</Alert>)).toBe(
      '<p class="alert alert-ok" role="status">Saved.</p>',
    );
    expect(await render(<Alert kind="error">No.</Alert>)).toBe(
      '<p class="alert alert-error" role="alert">No.</p>',
    );
    expect(await render(<Alert kind="warn">Careful.</Alert>)).toBe(
      '<p class="alert alert-warn">Careful.</p>',
    );
  });

  it("keeps data attributes and escapes its text", async () => {
    expect(
      await render(
        <Alert kind="ok" data-chain="ok">
          {"<b>"}
        </Alert>,
      ),
    ).toBe('<p class="alert alert-ok" role="status" data-chain="ok">&lt;b&gt;</p>');
  });

  it("shows the error before the notice, and nothing for neither", async () => {
    expect(await render(<Notices />)).toBe("");
    expect(await render(<Notices notice="Done." error="Failed." />)).toBe(
      '<p class="alert alert-error" role="alert">Failed.</p><p class="alert alert-ok" role="status">Done.</p>',
    );
  });
});
