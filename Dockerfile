# One Dockerfile for every service image; the service is a build argument:
#   docker build --build-arg SERVICE=ingest      -t incident-platform/ingest .
#   docker build --build-arg SERVICE=classifier  -t incident-platform/classifier .
#   docker build --build-arg SERVICE=correlation -t incident-platform/correlation .
#   docker build --build-arg SERVICE=migrate --build-arg APP_DIR=tools -t incident-platform/migrate .
# (remediation and postmortem: the same line with their name, once apps/<name> exists.)
#
# Node 24, the line the workspace itself runs on (package.json engines, the `node` devDependency).
# Pinned to a full version so that a rebuild gives the same runtime; bump it with package.json.
# No HEALTHCHECK on purpose: Kubernetes probes /readyz and /healthz, docker-compose.yml declares
# its own checks. tools/checks/src/dockerfile.spec.ts keeps this file honest.

# ---- build: the whole workspace, dev dependencies included, then one webpack bundle ----------
FROM node:24.21.0-bookworm-slim AS build
ARG SERVICE
# apps/ for the services, tools/ for the migration entrypoint (tools/migrate).
ARG APP_DIR=apps
WORKDIR /workspace
ENV NX_DAEMON=false \
    NX_NO_CLOUD=true
RUN test -n "$SERVICE" || { echo 'build with --build-arg SERVICE=<ingest|classifier|correlation|remediation|postmortem|migrate>' >&2; exit 1; }
# Dependencies first, so that a source change does not re-run npm ci.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY nx.json tsconfig.base.json jest.tiers.js eslint.config.mjs ./
COPY libs ./libs
COPY apps ./apps
COPY tools ./tools
# Each project's webpack.config.js writes dist/<APP_DIR>/<SERVICE>/ with main.js plus a
# package.json and package-lock.json that list only what the bundle requires at run time.
RUN npx nx build "$SERVICE" && test -f "dist/$APP_DIR/$SERVICE/main.js"

# ---- runtime: the bundle and its production dependencies, nothing else -------------------------
FROM node:24.21.0-bookworm-slim AS runtime
ARG SERVICE
ARG APP_DIR=apps
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /workspace/dist/${APP_DIR}/${SERVICE}/ ./
# --ignore-scripts: no install script runs in the image; the bundle needs none.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
# Files stay root-owned (read-only to the process). Numeric, so that Kubernetes can check
# runAsNonRoot without a passwd lookup; 1000 is the `node` user of the official image.
USER 1000:1000
# The services listen on their HTTP_PORT (8080 ingest, 8081 classifier, 8082 correlation).
EXPOSE 8080 8081 8082
CMD ["node", "main.js"]
