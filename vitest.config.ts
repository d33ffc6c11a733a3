import { defineConfig } from 'vitest/config'

// Two projects share the root options: `node` runs the engine, host and logic tests as before; `dom` runs the renderer's
// component tests (`*.test.tsx`) in happy-dom against an in-memory engine (see renderer/testing/renderWithEngine.tsx).
export default defineConfig({
  test: {
    // @duckdb/node-api is a native addon: run test files in forked processes.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['engine/**/*.test.ts', 'renderer/**/*.test.ts', 'samples/**/*.test.ts', 'electron/**/*.test.ts'],
          environment: 'node'
        }
      },
      {
        extends: true,
        test: {
          name: 'dom',
          include: ['renderer/**/*.test.tsx'],
          environment: 'happy-dom',
          setupFiles: ['renderer/testing/setupDom.ts']
        }
      }
    ]
  }
})
