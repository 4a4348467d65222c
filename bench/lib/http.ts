import { Agent, request } from "node:http";

/** A keep-alive HTTP/1.1 client with a fixed number of sockets (the bench's "connections"). */
export class HttpPool {
  readonly agent: Agent;
  constructor(connections: number) {
    // A socket left idle drops out after 4 s, before the server's 5 s keep-alive timeout closes it:
    // otherwise a request sent on it just as the server closes it fails (status 0) and is counted lost.
    this.agent = new Agent({
      keepAlive: true,
      maxSockets: connections,
      maxFreeSockets: connections,
      timeout: 4_000,
    });
  }

  /** Sends one request; resolves with the status and body, or status 0 on a network error. */
  send(
    url: string,
    init: { method?: string; headers?: Record<string, string>; body?: string } = {},
  ): Promise<{ status: number; body: string }> {
    return new Promise((resolve) => {
      const req = request(
        url,
        { method: init.method ?? "GET", headers: init.headers, agent: this.agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
          );
          res.on("error", () => resolve({ status: 0, body: "" }));
        },
      );
      req.on("error", (err) => resolve({ status: 0, body: err.message }));
      if (init.body !== undefined) req.end(init.body);
      else req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
