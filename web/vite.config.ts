import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { compression } from 'vite-plugin-compression2';

// Self-contained: the same result whatever directory vite is started from.
const webRoot = fileURLToPath(new URL('.', import.meta.url));
// `npm start` listens on 3000; API_PROXY_TARGET points `npm run dev` at another server.
const apiTarget = process.env.API_PROXY_TARGET ?? 'http://localhost:3000';

export default defineConfig({
  root: webRoot,
  // Brotli and gzip copies beside each file (x.js.br, x.js.gz), made once here at the highest
  // levels, which would be too slow per request: npm start sends them (src/api/app.ts).
  plugins: [react(), compression({ algorithms: ['brotliCompress', 'gzip'] })],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // The server sends `default-src 'self'`: keep every asset a file, never an inline data: URL.
    assetsInlineLimit: 0,
    // .vite/manifest.json: which file is the entry and what it imports (entry-size.test.ts).
    manifest: true,
  },
  server: {
    // `npm run dev`: the API and its Server-Sent Events come from the real server.
    proxy: { '/api': { target: apiTarget } },
  },
});
