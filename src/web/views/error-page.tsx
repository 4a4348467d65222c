import type { SessionUser } from "../../auth/index.ts";
import { Layout } from "./layout.tsx";

const TITLES: Record<number, string> = {
  400: "That request was not valid",
  401: "Please sign in",
  403: "Not allowed",
  404: "Page not found",
  409: "That conflicts with the current state",
  429: "Too many requests",
  503: "Temporarily unavailable",
};

export function ErrorPage(props: {
  status: number;
  message: string;
  requestId: string;
  stack?: string;
  user: SessionUser | null;
}) {
  return (
    <Layout title={TITLES[props.status] ?? "Error"} user={props.user}>
      <section class="panel error-panel">
        <h1>{TITLES[props.status] ?? "Something went wrong"}</h1>
        <p>{props.message}</p>
        <p class="muted">
          Reference: <code>{props.requestId}</code>
        </p>
        {props.stack ? <pre class="stack">{props.stack}</pre> : null}
        <p>
          <a href="/">Back to the start</a>
        </p>
      </section>
    </Layout>
  );
}
