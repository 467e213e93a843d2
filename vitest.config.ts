import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// Inside the repo every @gatehousejs/* import resolves to the package's source; published packages use dist.
const packagesDir = fileURLToPath(new URL('./packages/', import.meta.url))
const alias = [
  { find: /^@gatehousejs\/core\/node$/, replacement: `${packagesDir}core/src/node/index.ts` },
  { find: /^@gatehousejs\/core\/policy$/, replacement: `${packagesDir}core/src/policy/index.ts` },
  { find: /^@gatehousejs\/core\/lambda$/, replacement: `${packagesDir}core/src/integrations/lambda.ts` },
  { find: /^@gatehousejs\/core\/http-exchange$/, replacement: `${packagesDir}core/src/integrations/http-exchange.ts` },
  ...readdirSync(packagesDir).map((dir) => ({
    find: new RegExp(`^@gatehousejs/${dir}$`),
    replacement: `${packagesDir}${dir}/src/index.ts`,
  })),
]

export default defineConfig({
  resolve: { alias },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
})
