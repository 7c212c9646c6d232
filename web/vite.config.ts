import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { compression } from 'vite-plugin-compression2';

// Self-contained: the same result whatever directory vite is started from.
const webRoot = fileURLToPath(new URL('.', import.meta.url));
// `npm start` listens on 3000; API_PROXY_TARGET points `npm run dev` at another server.
const apiTarget = process.env.API_PROXY_TARGET ?? 'http://localhost:3000';

/** The boot script (src/app/boot.ts): a small entry of its own, which the app's entry imports. */
const BOOT = fileURLToPath(new URL('./src/app/boot.ts', import.meta.url));

/**
 * index.html runs the boot script on its own, `async`, as soon as it has come: a module script
 * the entry imports would only run once the entry and all it imports have come. The entry's
 * import of it is the same module (same URL), which then does not run again.
 */
const bootScript = (): Plugin => ({
  name: 'cruddur-boot-script',
  apply: 'build',
  transformIndexHtml: {
    order: 'post',
    handler: (_html, context) => {
      const boot = Object.values(context.bundle ?? {}).find(
        (output) => output.type === 'chunk' && output.isEntry && output.facadeModuleId === BOOT,
      );
      if (!boot) throw new Error('the build has no boot chunk (src/app/boot.ts)');
      return [
        {
          tag: 'script',
          attrs: { type: 'module', async: true, crossorigin: true, src: `/${boot.fileName}` },
          injectTo: 'head-prepend',
        },
      ];
    },
  },
});

export default defineConfig({
  root: webRoot,
  // Brotli and gzip copies beside each file (x.js.br, x.js.gz), made once here at the highest
  // levels, which would be too slow per request: npm start sends them (src/api/app.ts).
  plugins: [react(), bootScript(), compression({ algorithms: ['brotliCompress', 'gzip'] })],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // The server sends `default-src 'self'`: keep every asset a file, never an inline data: URL.
    assetsInlineLimit: 0,
    // .vite/manifest.json: which file is the entry and what it imports (entry-size.test.ts).
    manifest: true,
    // One stylesheet, linked by index.html: the screens' chunk then needs no request of its own
    // for its CSS (a 1.6 KB file fetched after the chunk, on the way to a conversation's paint).
    cssCodeSplit: false,
    rollupOptions: {
      input: { index: fileURLToPath(new URL('./index.html', import.meta.url)), boot: BOOT },
    },
  },
  server: {
    // `npm run dev`: the API and the realtime WebSocket come from the real server. The API
    // names the socket by the request's host (ws://localhost:5173/realtime), so it is proxied too.
    proxy: { '/api': { target: apiTarget }, '/realtime': { target: apiTarget, ws: true } },
  },
});
