/**
 * The path (with query and fragment) of a `Referer` on this site's own origin, or undefined. Origins
 * are compared whole (scheme, host, port): a prefix test on the base URL lets
 * `http://127.0.0.1:3811.evil.example/` and `http://127.0.0.1:3811@evil.example/` through as ours.
 * Only the path is returned, with leading slashes collapsed, so the redirect cannot leave the site
 * as a protocol-relative `//host` either.
 */
export function sameOriginPath(referer: string | undefined, baseUrl: string): string | undefined {
  if (!referer) return undefined;
  let url: URL;
  try {
    url = new URL(referer);
  } catch {
    return undefined;
  }
  if (url.origin !== new URL(baseUrl).origin) return undefined;
  return `/${url.pathname.replace(/^\/+/, "")}${url.search}${url.hash}`;
}
