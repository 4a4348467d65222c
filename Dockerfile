# syntax=docker/dockerfile:1
# Revenue Intelligence for Stripe Commerce. No build step of our own: the TypeScript sources run from
# the bundle bin/revintel.js keeps of them (built below, while the image is still writable).
#   docker build -t revintel .        (compose.yaml does this for you: `docker compose up --build -d`)

ARG NODE_IMAGE=node:22-bookworm-slim

# --- base: Node + the PostgreSQL 16 client tools (`revintel backup/restore` call pg_dump/pg_restore,
# which must be at least the server's major version; Debian bookworm ships 15, so use PGDG's 16).
FROM ${NODE_IMAGE} AS base
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && install -d /usr/share/postgresql-common/pgdg \
 && curl -fsSL -o /usr/share/postgresql-common/pgdg/apt.postgresql.org.asc \
      https://www.postgresql.org/media/keys/ACCC4CF8.asc \
 && echo "deb [signed-by=/usr/share/postgresql-common/pgdg/apt.postgresql.org.asc] https://apt.postgresql.org/pub/repos/apt bookworm-pgdg main" \
      > /etc/apt/sources.list.d/pgdg.list \
 && apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client-16 \
 && apt-get purge -y curl && apt-get autoremove -y \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app

# --- deps: production dependencies only (esbuild and tsx are among them: they run the sources).
FROM base AS deps
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# --- runtime: sources + production node_modules, running as the unprivileged `node` user.
FROM base AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/app/data
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --chown=root:root package.json package-lock.json tsconfig.json ./
COPY --chown=root:root bin ./bin
COPY --chown=root:root drizzle ./drizzle
COPY --chown=root:root src ./src
# The CLI's bundle of the sources, in node_modules/.cache (read-only to the app, fresh for these sources).
RUN node bin/revintel.js --version
# Only the embedded-database directory is writable; the code is owned by root and read-only to the app.
# product-images: the upload volume starts from this directory, owned by the app user.
RUN mkdir -p /app/data/product-images && chown -R node:node /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT||3000}/healthz`).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# `serve` never migrates: compose.yaml runs `migrate` first (see docs/deploy.md).
CMD ["node", "bin/revintel.js", "serve"]
