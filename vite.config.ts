/**
 * The dashboard (dashboard/) builds into dist/public, where the Worker serves it as static
 * assets. scripts/build.ts empties that folder first and writes the tracker and `_headers`
 * after Vite, so Vite must not empty it itself (a bare `vite build` would delete t.js).
 */
import preact from '@preact/preset-vite'
import { defineConfig } from 'vite'

export default defineConfig({
  root: 'dashboard',
  plugins: [preact()],
  build: {
    outDir: '../dist/public',
    emptyOutDir: false,
    // Keeps every chunk an external file: the CSP allows no inline script or style.
    assetsInlineLimit: 0,
    target: 'es2022',
  },
  server: {
    // `npx vite` against a running `wrangler dev` on 8787.
    proxy: { '/v1': 'http://127.0.0.1:8787' },
  },
})
