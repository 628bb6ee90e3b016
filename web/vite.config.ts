import { defineConfig } from 'vite'

// The build must run under `script-src 'self'; style-src 'self'`: no inline scripts or styles,
// no module-preload polyfill injected into the page, assets as files rather than data: URLs.
export default defineConfig({
  root: '.',
  publicDir: 'public',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false }
  },
  // Dev server on :3000, an origin both services allow by default.
  server: {
    port: 3000,
    strictPort: true,
    proxy: {
      '/auth': 'http://localhost:3001',
      '/config.json': 'http://localhost:3001',
      '/ws': { target: 'ws://localhost:3002', ws: true }
    }
  }
})
