import { existsSync, readdirSync } from 'node:fs'
import { defineConfig } from 'tsup'

// One build per package: unbundled-by-package ESM + CJS + declarations into packages/<name>/dist.
const packages = readdirSync('packages').filter((dir) => existsSync(`packages/${dir}/src/index.ts`))

export default defineConfig(
  packages.map((dir) => ({
    name: dir,
    // core also publishes `@gatehouse/core/node`, the node:http conversion its adapters share.
    entry: (dir === 'core'
      ? { index: 'packages/core/src/index.ts', node: 'packages/core/src/node-io.ts' }
      : { index: `packages/${dir}/src/index.ts` }) as Record<string, string>,
    outDir: `packages/${dir}/dist`,
    format: ['esm', 'cjs'],
    dts: { compilerOptions: { paths: {} } },
    clean: true,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    external: [/^@gatehouse\//, /^[a-z@][^/]*$/],
    tsconfig: 'tsconfig.json',
  })),
)
