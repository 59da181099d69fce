import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * Writes .br and .gz beside every text asset, which the server sends as they are
 * (@fastify/static preCompressed): small over a rural 3G link, no compression at request time.
 */
function precompress(): Plugin {
  let outDir = 'dist';
  return {
    name: 'yimen-precompress',
    apply: 'build',
    configResolved(c) {
      outDir = path.resolve(c.root, c.build.outDir);
    },
    closeBundle() {
      const files = fs.readdirSync(outDir, { recursive: true }).map(String);
      for (const f of files.filter((x) => /\.(js|css|html|svg|json)$/.test(x))) {
        const full = path.join(outDir, f);
        const data = fs.readFileSync(full);
        if (data.length < 1024) continue;
        fs.writeFileSync(`${full}.gz`, zlib.gzipSync(data, { level: 9 }));
        fs.writeFileSync(
          `${full}.br`,
          zlib.brotliCompressSync(data, {
            params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 },
          }),
        );
      }
    },
  };
}

// The server (apps/server/src/http/web.ts) serves dist/ at `/`; in development `vite` proxies
// the API to a server on port 3000.
export default defineConfig({
  plugins: [react(), precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The CSP allows scripts from 'self' only: no inline module-preload polyfill.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 900,
  },
  server: {
    proxy: {
      '/api': 'http://localhost:3000',
      '/verify': 'http://localhost:3000',
    },
  },
});
