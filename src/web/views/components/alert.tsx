import type { Child } from "hono/jsx";

type Kind = "ok" | "error" | "warn";

/** Screen readers hear a success as a status and an error at once; a warning is part of the page. */
const ROLE: Record<Kind, string | undefined> = { ok: "status", error: "alert", warn: undefined };

/** One message box: a success, an error or a warning, with the role that goes with it. */
export function Alert(props: { kind: Kind; children: Child } & Record<`data-${string}`, string | number>) {
  const { kind, children, ...data } = props;
  return (
    <p class={`alert alert-${kind}`} role={ROLE[kind]} {...data}>
      {children}
    </p>
  );
}

/** The page's notice and error, where either is set: the shape of most form pages' answers. */
export function Notices(props: { notice?: string; error?: string }) {
  return (
    <>
      {props.error ? <Alert kind="error">{props.error}</Alert> : null}
      {props.notice ? <Alert kind="ok">{props.notice}</Alert> : null}
    </>
  );
}
