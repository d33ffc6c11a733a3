// Build of the three bundles: electron/main (ESM), electron/preload (CommonJS, for the sandbox), renderer (minified).
import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'

const root = import.meta.dirname

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      rollupOptions: { input: { index: resolve(root, 'electron/main/index.ts') } }
    }
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      rollupOptions: {
        input: { index: resolve(root, 'electron/preload/index.ts') },
        // A sandboxed preload cannot be an ES module: emit CommonJS (index.cjs) so the window keeps sandbox: true.
        output: { format: 'cjs', entryFileNames: '[name].cjs' }
      }
    }
  },
  renderer: {
    root: resolve(root, 'renderer'),
    // Relative asset URLs work from app://lakebench/ and from the web host alike.
    base: './',
    build: {
      outDir: resolve(root, 'out/renderer'),
      minify: true,
      // Monaco's editor chunk is large by nature; the budget below still flags an accidental full-Monaco import.
      chunkSizeWarningLimit: 4096,
      rollupOptions: { input: { index: resolve(root, 'renderer/index.html') } }
    },
    plugins: [react()],
    worker: { format: 'es' }
  }
})
