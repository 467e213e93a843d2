/**
 * The arrows of DESIGN.md's layout, checked by `npm run check:deps` (CI runs it):
 *   regex, clock  ←  the seven modules  ←  core  ←  adapters
 *   redis implements throttle's and cache's interfaces; nothing imports an adapter or redis.
 * Type-only imports count: a cycle through `import type` is still a cycle of concepts.
 */
const MODULES = '(router|schema|vtl|sigv4|jwt|throttle|cache)'
const ADAPTERS = '(node|express|koa|hono|fastify)'

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      severity: 'error',
      comment: 'Import cycles, type-only ones included, are refused.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'primitives-are-leaves',
      severity: 'error',
      comment: 'The primitives the modules share (the regex engine, the coarse clock) import nothing of the project.',
      from: { path: '^packages/(regex|clock)/src' },
      to: { path: '^packages/', pathNot: '^packages/$1/src' },
    },
    {
      name: 'modules-import-only-regex',
      severity: 'error',
      comment: 'A module imports nothing of another module (the shared primitives, leaves, excepted) or of core.',
      from: { path: `^packages/${MODULES}/src` },
      to: { path: '^packages/', pathNot: ['^packages/$1/src', '^packages/(regex|clock)/src'] },
    },
    {
      name: 'core-imports-modules',
      severity: 'error',
      comment: 'Core imports the modules, never an adapter or redis.',
      from: { path: '^packages/core/src' },
      to: { path: `^packages/(${ADAPTERS.slice(1, -1)}|redis|websocket|cli|testing|otel|dashboard)/` },
    },
    {
      name: 'nothing-imports-an-adapter',
      severity: 'error',
      from: { path: '^packages/', pathNot: `^packages/${ADAPTERS}/` },
      to: { path: `^packages/${ADAPTERS}/src` },
    },
    {
      name: 'adapters-do-not-import-each-other',
      severity: 'error',
      from: { path: `^packages/${ADAPTERS}/src` },
      to: { path: `^packages/${ADAPTERS}/src`, pathNot: '^packages/$1/src' },
    },
    {
      name: 'redis-implements-throttle-and-cache',
      severity: 'error',
      from: { path: '^packages/redis/src' },
      to: { path: '^packages/', pathNot: '^packages/(redis|throttle|cache)/src' },
    },
    {
      name: 'src-does-not-import-tests',
      severity: 'error',
      from: { path: '^packages/[^/]+/src' },
      to: { path: '(^|/)test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'types', 'default'] },
  },
}
