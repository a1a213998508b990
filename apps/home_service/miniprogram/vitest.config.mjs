import { defineConfig } from 'vitest/config'

// One run for the workspace: the shared package's tests and the customer and technician apps' logic tests.
export default defineConfig({
  test: {
    include: ['shared/test/**/*.test.ts', 'customer/test/**/*.test.ts', 'technician/test/**/*.test.ts'],
    environment: 'node',
    cache: false,
  },
})
