# framebench: the `bench` CLI (load generator, reference server, gateway, generator) in one image.
#   docker build -t framebench .
#   docker run --rm framebench --help
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
# Scripts are skipped here (prepare would build before the sources are copied); sharp ships its own libvips.
RUN npm ci --no-audit --no-fund --ignore-scripts && npm rebuild sharp
COPY tsconfig.json ./
COPY bin ./bin
COPY src ./src
COPY deploy ./deploy
COPY scenarios ./scenarios
RUN npx tsc -p tsconfig.json && npm prune --omit=dev --no-audit --no-fund
ENV MALLOC_ARENA_MAX=2
ENTRYPOINT ["node", "bin/bench.js"]
CMD ["--help"]
