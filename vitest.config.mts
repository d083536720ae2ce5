import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['__test__/**/*.test.ts'],
    reporters: ['default', './__test__/summary-reporter.ts'],
    // Native addons and worker threads don't mix: each test file runs in its own process.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
