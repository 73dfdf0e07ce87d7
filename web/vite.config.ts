import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';
import { precompress } from './build/precompress-plugin.ts';

// `npm run dev -w web`: the client on :5173 with hot reload; /graphql (HTTP and graphql-ws),
// /auth (the session cookie's routes) and /health go to the gateway on :4000, so the browser sees
// one origin, as when the gateway serves the built client.
const gateway = process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000';

export default defineConfig({
  // The code is written against React's API; Preact renders it (preact/compat, aliased by the
  // preset): React DOM alone is 68 KB gzipped, and the first route must stay under 100 KB in all
  // (docs/decisions/0010-web-client-korean-first.md).
  plugins: [preact({ prerender: { enabled: false } }), precompress()],
  // Apollo Client's development-only checks and messages stay out of the production bundle.
  define: { 'globalThis.__DEV__': JSON.stringify(process.env.NODE_ENV !== 'production') },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: {
      '/graphql': { target: gateway, ws: true, changeOrigin: true },
      '/auth': { target: gateway, changeOrigin: true },
      '/health': { target: gateway, changeOrigin: true },
    },
  },
  // No source maps in production: the served client is the product, not its sources.
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    manifest: true,
    // Brotli 11 over every asset takes a couple of seconds on purpose (once, at build time); the
    // bundler's "slow plugin" notice about it is expected.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
});
