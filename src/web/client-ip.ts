import { isIP } from "node:net";

/**
 * The address of the client that sent a request, for login throttling and the audit log's IP hash.
 *
 * With `trustedHops = 0` (the default) it is the socket's peer and `X-Forwarded-For` is ignored, so a
 * client cannot choose its own address. Behind N reverse proxies that each append the address they
 * saw (nginx's `$proxy_add_x_forwarded_for`), the chain is `X-Forwarded-For` entries followed by the
 * socket peer; the client is the entry N steps left of the peer. Entries further left were written by
 * the client and are never read. A missing or malformed entry inside the trusted part stops the walk
 * at the last address a trusted proxy vouched for.
 */
export function clientAddress(
  socketAddress: string,
  forwardedFor: string | undefined,
  trustedHops: number,
): string {
  if (trustedHops === 0 || forwardedFor === undefined) return socketAddress;
  const forwarded = forwardedFor.split(",").map((entry) => entry.trim());
  let client = socketAddress;
  for (let hop = 1; hop <= trustedHops; hop++) {
    const entry = forwarded[forwarded.length - hop];
    if (entry === undefined || isIP(entry) === 0) break;
    client = entry;
  }
  return client;
}
