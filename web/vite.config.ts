import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { precompress } from './build/precompress-plugin.ts';

// `npm run dev -w web`: the client on :5173 with hot reload; /graphql (HTTP and graphql-ws),
// /auth (the session cookie's routes) and /health go to the gateway on :4000, so the browser sees
// one origin, as when the gateway serves the built client.
const gateway = process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000';

export default defineConfig({
  plugins: [react(), precompress()],
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
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
});
