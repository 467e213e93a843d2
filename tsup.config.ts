import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { defineConfig, type Options } from 'tsup'

// One build per package: ESM + CJS + declarations into packages/<name>/dist. Declarations read other packages'
// built declarations, so `npm run build` builds in layers (GROUP): regex and clock (the primitives modules share), the
// modules, then what imports them, then the adapters and tools.
const LAYERS: Record<string, string[]> = {
  base: ['regex', 'clock'],
  modules: ['router', 'schema', 'vtl', 'sigv4', 'jwt', 'throttle', 'cache'],
  core: ['core', 'redis'],
  edge: ['node', 'express', 'koa', 'hono', 'fastify', 'websocket', 'testing', 'dashboard', 'otel'],
  // The cli serves the dashboard: built after it.
  tools: ['cli'],
}

// core also publishes `@gatehousejs/core/node` (the node:http conversion its adapters share),
// `@gatehousejs/core/policy` (the IAM policy engine), `@gatehousejs/core/lambda` (in-process Lambda
// invocation) and `@gatehousejs/core/http-exchange` (one HTTP exchange with a backend), for the WebSocket package.
// Keep in step with tsconfig.json's paths and vitest.config.ts.
const CORE_SUBPATHS: Record<string, string> = {
  node: 'packages/core/src/node/index.ts',
  policy: 'packages/core/src/policy/index.ts',
  lambda: 'packages/core/src/integrations/lambda.ts',
  'http-exchange': 'packages/core/src/integrations/http-exchange.ts',
}

// The cli also builds its bin, dist/cli.js (its `#!/usr/bin/env node` line is kept by esbuild from the source).
const CLI_BIN: Record<string, string> = { cli: 'packages/cli/src/cli.ts' }

// Private workspaces (the test kit) are not built.
const all = readdirSync('packages').filter(
  (dir) => existsSync(`packages/${dir}/src/index.ts`) && !JSON.parse(readFileSync(`packages/${dir}/package.json`, 'utf8')).private,
)

export default defineConfig((flags) => {
  const group = (flags.env as Record<string, string> | undefined)?.GROUP
  const packages = group === undefined ? all : all.filter((dir) => LAYERS[group]?.includes(dir))
  return packages.map(
    (dir): Options => ({
      name: dir,
      entry: {
        index: `packages/${dir}/src/index.ts`,
        ...(dir === 'core' ? CORE_SUBPATHS : {}),
        ...(dir === 'cli' ? CLI_BIN : {}),
      },
      outDir: `packages/${dir}/dist`,
      format: ['esm', 'cjs'],
      dts: { compilerOptions: { paths: {} } },
      clean: true,
      sourcemap: true,
      target: 'node20',
      platform: 'node',
      external: [/^@gatehousejs\//, /^[a-z@][^/]*$/],
      tsconfig: 'tsconfig.json',
    }),
  )
})
