import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import type { SessionUser } from "../../auth/index.ts";
import { navFor } from "./nav.ts";
import { TopbarSearch } from "./search/topbar-search.tsx";

export interface LayoutProps {
  title: string;
  user: SessionUser | null;
  csrfToken?: string;
  /** The current path, to mark the active navigation item. */
  path?: string;
  children?: Child;
  /** Load ECharts on pages with charts. */
  charts?: boolean;
}

export function Layout(props: LayoutProps) {
  const items = navFor(props.user?.role ?? null);
  const headers = props.csrfToken ? JSON.stringify({ "X-CSRF-Token": props.csrfToken }) : undefined;
  return (
    <>
      {raw("<!doctype html>")}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${props.title} · Revenue Intelligence`}</title>
          <link rel="stylesheet" href="/assets/app.css" />
          <script src="/assets/htmx.js" defer></script>
          {props.charts ? <script src="/assets/echarts.js" defer></script> : null}
          <script src="/assets/app.js" defer></script>
        </head>
        <body hx-headers={headers}>
          <a class="skip-link" href="#main">
            Skip to content
          </a>
          <header class="topbar">
            <a class="brand" href={props.user && props.user.role !== "customer" ? "/dashboard" : "/"}>
              <span class="brand-mark" aria-hidden="true">
                ◆
              </span>{" "}
              Revenue Intelligence
            </a>
            <nav aria-label="Main">
              <ul class="nav">
                {items.map((item) => (
                  <li>
                    <a href={item.href} aria-current={props.path === item.href ? "page" : undefined}>
                      {item.label}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
            <TopbarSearch role={props.user?.role} />
            <div class="account">
              {props.user ? (
                <form method="post" action="/logout">
                  <span class="who">
                    {props.user.displayName} <span class="role-badge">{props.user.role}</span>
                  </span>
                  <input type="hidden" name="_csrf" value={props.csrfToken ?? ""} />
                  <button type="submit" class="link-button">
                    Sign out
                  </button>
                </form>
              ) : (
                <a href="/login">Sign in</a>
              )}
            </div>
          </header>
          <main id="main" class="container">
            {props.children}
          </main>
        </body>
      </html>
    </>
  );
}
