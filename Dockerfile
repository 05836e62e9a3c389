# syntax=docker/dockerfile:1
# Crisp Guard: the CLI (docker run … dir /src) and the GitHub App (docker run … serve) in one image.
#   docker build -t crisp-guard .
#   docker run --rm -v "$PWD:/src:ro" crisp-guard dir /src
#   docker run --rm -p 3000:3000 -v crisp-guard-data:/data --env-file .env crisp-guard serve

# ---- build: dev dependencies, TypeScript, the package tarball -----------------------------------
FROM node:22-bookworm-slim AS build
# better-sqlite3 compiles from source where no prebuilt binary fits: a toolchain here, never at run time.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /build
COPY package.json package-lock.json ./
# No scripts yet: `prepare` builds, and the sources are not copied in until the next step.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json app.yml README.md ./
COPY src ./src
RUN npm run build && mkdir -p /build/pkg && npm pack --pack-destination /build/pkg

# ---- production dependencies only, from the tarball (what npm install -g would get) ------------
FROM build AS prod
WORKDIR /app
RUN tar -xzf /build/pkg/crisp-guard-*.tgz --strip-components=1 \
 && cp /build/package-lock.json ./ \
 # --ignore-scripts: the tarball's `prepare` would rebuild dist without dev dependencies. Then only
 # the native module's own install step is run.
 && npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm rebuild better-sqlite3 \
 && node -e "new (require('better-sqlite3'))(':memory:').close()" \
 && rm package-lock.json \
 && npm cache clean --force

# ---- runtime: Node, git, the app; no compiler, no dev dependencies, not root ------------------
FROM node:22-bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends git ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 # A mounted repository belongs to another uid; crisp-guard runs git with hooks, fsmonitor,
 # textconv and external diffs switched off, so reading any of them is safe.
 && git config --system --add safe.directory '*' \
 && mkdir -p /data /src \
 && chown node:node /data
COPY --from=prod /app /app
RUN ln -s /app/dist/cli/main.js /usr/local/bin/crisp-guard
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    CRISP_GUARD_DB=/data/crisp-guard.db
# Probot reads app.yml from the working directory (the setup page's manifest).
WORKDIR /app
USER node
VOLUME ["/data"]
EXPOSE 3000
ENTRYPOINT ["crisp-guard"]
CMD ["--help"]
