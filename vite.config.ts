import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { svelteTesting } from '@testing-library/svelte/vite'

// Cross-origin isolation lets the optimizer share candles with workers through SharedArrayBuffer.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
}

export default defineConfig({
  root: 'lab',
  // Options inline (no svelte.config.js): runes everywhere.
  plugins: [svelte({ configFile: false, compilerOptions: { runes: true } })],
  build: { outDir: '../dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 6000 },
  worker: { format: 'es' },
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    headers: isolationHeaders,
    // changeOrigin: edge checks Host (DNS rebinding) and accepts only its own. Edge also refuses a
    // foreign Origin on unsafe requests, so in dev mode the lab can read but not change state.
    proxy: {
      '/api': { target: 'http://127.0.0.1:8787', changeOrigin: true, ws: true },
      '/sim': { target: 'http://127.0.0.1:8787', changeOrigin: true, ws: true },
    },
  },
  preview: { headers: isolationHeaders },
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.dom.test.ts', 'test/e2e/**'],
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        plugins: [svelteTesting()],
        test: { name: 'dom', environment: 'happy-dom', include: ['test/**/*.dom.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
