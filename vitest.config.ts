import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['engine/**/*.test.ts', 'renderer/**/*.test.ts', 'renderer/**/*.test.tsx', 'samples/**/*.test.ts', 'electron/**/*.test.ts'],
    environment: 'node',
    // @duckdb/node-api is a native addon: run test files in forked processes.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000
  }
})
