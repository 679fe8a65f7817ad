# The production image: compiled JavaScript on a current Node LTS, no devDependencies, no TypeScript at run time.
#   docker compose up -d --build     (see docker-compose.yml and the README's "Production deploy")
# The code also runs on Node 20 (engines: >=20.19); 24 is the LTS line in support.
ARG NODE_IMAGE=node:24-bookworm-slim

# 1. Build: every dependency, then `npm run build` (dist/: the server compiled; dist/assets: the pages' scripts,
#    our components bundled, all hashed and precompressed).
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# 2. Runtime dependencies only.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# 3. The image: tini as PID 1 (signals forwarded, zombies reaped), node as its child, running as the user node.
FROM ${NODE_IMAGE}
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY scripts/launch.mjs ./scripts/
USER node
EXPOSE 3000
# Ready: PostgreSQL reachable and migrated (/readyz). Node's fetch: the slim image has no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
# The same command as `npm run start:prod`. Operator commands: docker compose run --rm app npm run tenant:create -- ...
CMD ["node", "--max-semi-space-size=64", "dist/scripts/start.js"]
