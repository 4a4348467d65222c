import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import type { Command } from "commander";
import type { AppContext } from "../context.ts";
import { isMigrated } from "../db/migrate.ts";
import { startWorker, type WorkerHandle } from "../jobs/worker.ts";
import { createApp } from "../web/app.ts";
import { fail, withContext } from "./run.ts";

export interface Running {
  server: Server;
  url: string;
  stop(): Promise<void>;
}

/** Serve until SIGTERM/SIGINT, then stop accepting, finish in-flight requests and close the pool. */
export async function runServer(ctx: AppContext, options: { worker?: boolean } = {}): Promise<Running> {
  const { app } = createApp(ctx);
  let worker: WorkerHandle | undefined;
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: ctx.config.port, hostname: ctx.config.host }, () =>
      resolve(s as Server),
    );
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : ctx.config.port;
  const url = `http://${ctx.config.host}:${port}`;
  if (options.worker) worker = startWorker(ctx);
  const stop = async () => {
    const closed = new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Idle keep-alive sockets would hold close() open; in-flight requests still finish.
      server.closeIdleConnections?.();
    });
    await Promise.all([worker?.stop(), closed]);
  };
  return { server, url, stop };
}

export function waitForShutdown(ctx: AppContext, running: Running): Promise<void> {
  return new Promise((resolve) => {
    const shutdown = async (signal: string) => {
      ctx.logger.info({ signal }, "shutting down: finishing in-flight requests");
      await running.stop();
      resolve();
    };
    process.once("SIGTERM", () => void shutdown("SIGTERM"));
    process.once("SIGINT", () => void shutdown("SIGINT"));
  });
}

export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("serve the web app (never migrates or seeds; run `revintel migrate` first)")
    .option("--with-worker", "also run the scheduled jobs in this process")
    .action(async (opts: { withWorker?: boolean }) => {
      await withContext(async (ctx) => {
        if (!(await isMigrated(ctx.database)))
          fail("the database is not migrated: run `revintel migrate` first");
        const running = await runServer(ctx, { worker: opts.withWorker });
        ctx.logger.info({ url: running.url, database: ctx.database.label }, "serving");
        await waitForShutdown(ctx, running);
      });
    });

  program
    .command("worker")
    .description(
      "run scheduled jobs: webhook re-drive, snapshot refresh, data-quality checks, pending-order expiry",
    )
    .action(async () => {
      await withContext(async (ctx) => {
        if (!(await isMigrated(ctx.database)))
          fail("the database is not migrated: run `revintel migrate` first");
        const worker = startWorker(ctx);
        await new Promise<void>((resolve) => {
          // Running jobs finish (up to STOP_WAIT_MS) before the pool closes.
          const stop = () => void worker.stop().then(() => resolve());
          process.once("SIGTERM", stop);
          process.once("SIGINT", stop);
        });
      });
    });
}
