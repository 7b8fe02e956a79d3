# Cartograph gateway image: `docker build -t cartograph .` (compose.yaml runs two of them on PostgreSQL + Redis).
# Build stage: install from the lockfile (postinstall generates the Prisma client offline), bundle src/ into dist/.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# Runtime stage: the bundle, production dependencies and the migrations (applied at start-up).
FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000 DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/prisma/migrations ./prisma/migrations
# The dashboard's static page (the bundle finds it beside the root, as `npm start` does).
COPY --from=build /app/src/http/dashboard/assets ./src/http/dashboard/assets
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 4000
# Readiness: database reachable, migrations applied, Redis reachable when configured.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/api/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# SIGTERM reaches node directly (exec form): graceful shutdown within SHUTDOWN_TIMEOUT_MS.
CMD ["node", "dist/main.js"]
