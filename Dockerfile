# syntax=docker/dockerfile:1
#
# One image for every Gaji Market process: the gateway and the five subgraphs. SERVICE picks the
# process at run time (gateway, member, product, purchase, payment or mypage); the build argument
# of the same name only sets its default, so `--build-arg SERVICE=product` gives a product image.
#
#   docker build -t gaji-market .                       # docs/operations.md: Container image
#   docker run -e SERVICE=product -e PRODUCT_DATABASE_URL=… -e NATS_URL=… gaji-market
#
# Services run their TypeScript through tsx, as `npm start` does (scripts/start.ts): there is no
# compile step whose output could drift from what the tests ran.

ARG NODE_IMAGE=node:24.21.0-bookworm-slim

# --- build: every dependency, generated code (Prisma clients, resolver types), the web client ---
FROM ${NODE_IMAGE} AS build
# better-sqlite3 (mypage's read model) compiles from source when no prebuilt binary fits.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
COPY schema/package.json schema/
COPY packages/domain-kernel/package.json packages/domain-kernel/
COPY packages/platform/package.json packages/platform/
COPY packages/testkit/package.json packages/testkit/
COPY subgraphs/member/package.json subgraphs/member/
COPY subgraphs/product/package.json subgraphs/product/
COPY subgraphs/purchase/package.json subgraphs/purchase/
COPY subgraphs/payment/package.json subgraphs/payment/
COPY subgraphs/mypage/package.json subgraphs/mypage/
COPY gateway/package.json gateway/
COPY web/package.json web/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run generate && npm run build

# --- prod-deps: runtime dependencies only --------------------------------------------------------
FROM ${NODE_IMAGE} AS prod-deps
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/schema/package.json schema/
COPY --from=build /app/packages/domain-kernel/package.json packages/domain-kernel/
COPY --from=build /app/packages/platform/package.json packages/platform/
COPY --from=build /app/packages/testkit/package.json packages/testkit/
COPY --from=build /app/subgraphs/member/package.json subgraphs/member/
COPY --from=build /app/subgraphs/product/package.json subgraphs/product/
COPY --from=build /app/subgraphs/purchase/package.json subgraphs/purchase/
COPY --from=build /app/subgraphs/payment/package.json subgraphs/payment/
COPY --from=build /app/subgraphs/mypage/package.json subgraphs/mypage/
COPY --from=build /app/gateway/package.json gateway/
COPY --from=build /app/web/package.json web/
RUN npm ci --omit=dev --no-audit --no-fund
# tsx (and the esbuild it drives) is a root devDependency; the services need it at run time.
COPY --from=build /app/node_modules/tsx node_modules/tsx
COPY --from=build /app/node_modules/esbuild node_modules/esbuild
COPY --from=build /app/node_modules/@esbuild node_modules/@esbuild

# --- runtime: sources with their generated code, production node_modules, no build tools --------
FROM ${NODE_IMAGE} AS runtime
ARG SERVICE=gateway
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    SERVICE=${SERVICE} \
    MYPAGE_DATA_DIR=/var/lib/gaji/mypage
# Owned by the process's user, so a fresh volume mounted there is writable: My Page's read model,
# and the service keys compose generates (scripts/write-service-keys.ts).
RUN mkdir -p /var/lib/gaji/mypage /var/lib/gaji/keys && chown 1000:1000 /var/lib/gaji/mypage /var/lib/gaji/keys
WORKDIR /app
COPY --from=build /app/tsconfig.json ./
COPY --from=build /app/schema schema
COPY --from=build /app/packages/domain-kernel packages/domain-kernel
COPY --from=build /app/packages/platform packages/platform
COPY --from=build /app/subgraphs subgraphs
COPY --from=build /app/gateway gateway
COPY --from=build /app/web/dist web/dist
COPY --from=build /app/scripts/write-service-keys.ts scripts/
COPY --from=build /app/scripts/system/service-keys.ts scripts/system/
COPY --from=prod-deps /app /app
COPY deploy/docker/service.sh deploy/docker/service.sh
# uid:gid of the image's `node` user, numeric so Kubernetes can verify runAsNonRoot. The files
# stay root-owned: the process reads its code and writes only to /tmp and MYPAGE_DATA_DIR.
USER 1000:1000
EXPOSE 4000 4001 4002 4003 4004 4005
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s --start-period=90s --retries=3 \
  CMD ["/app/deploy/docker/service.sh", "health"]
ENTRYPOINT ["/app/deploy/docker/service.sh"]
CMD ["run"]
