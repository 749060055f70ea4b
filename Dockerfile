FROM node:20-bookworm-slim
# pg_dump and pg_restore for `npm run backup` / `npm run restore` and the worker's scheduled backups,
# of the major version of the compose file's server (postgres:16): an older pg_dump refuses a newer
# server, and Debian bookworm ships 15. They come from PostgreSQL's own apt repository, which
# postgresql-common's script sets up with the signing key that package ships.
ARG PG_CLIENT_MAJOR=16
RUN apt-get update \
  && apt-get install -y --no-install-recommends ca-certificates postgresql-common \
  && /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y \
  && apt-get install -y --no-install-recommends "postgresql-client-${PG_CLIENT_MAJOR}" \
  && rm -rf /var/lib/apt/lists/*
ENV BACKUP_PG_BIN=/usr/lib/postgresql/${PG_CLIENT_MAJOR}/bin
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev
ENV NODE_ENV=production
EXPOSE 3000
