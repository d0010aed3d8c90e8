import { fileURLToPath } from 'node:url'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { defineConfig } from 'vitest/config'

const here = fileURLToPath(new URL('.', import.meta.url))

export default defineConfig({
  root: 'web',
  // No svelte.config.js: the defaults suit us, and saying so silences a start-up notice.
  plugins: [svelte({ configFile: false })],
  build: { outDir: '../dist/web', emptyOutDir: true },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8300',
      '/ws': { target: 'ws://127.0.0.1:8300', ws: true },
    },
  },
  test: {
    root: here,
    include: ['test/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
