# sigfire: one image for the worker and the built-in listener (see docker-compose.yml).
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
COPY src ./src
RUN npm ci --no-audit --no-fund
COPY rules ./rules
COPY fixtures ./fixtures
COPY sigfire.yaml ./
ENTRYPOINT ["node", "dist/src/cli/main.js"]
CMD ["--help"]
