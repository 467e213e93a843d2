// Runs the jest example (../jest: plain ESM test files, matchers added with expect.extend in setup.mjs) with jest 30
// in a child process, so it is part of `npm test`: the example must pass, and a deliberately broken copy must fail.
// Jest cannot load the TypeScript sources without a transform, so this test first bundles @gatehousejs/core and
// @gatehousejs/testing from the sources (tsup, ESM, one shared chunk) into a temporary directory that the jest
// config maps the two packages to — no `npm run build` needed.
// Jest ESM: https://jestjs.io/docs/ecmascript-modules ; CLI: https://jestjs.io/docs/cli ; expect.extend:
// https://jestjs.io/docs/expect#expectextendmatchers
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'tsup'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const jestDir = fileURLToPath(new URL('../jest/', import.meta.url))
const example = join(jestDir, 'pets.test.mjs')
let modules = ''

beforeAll(async () => {
  modules = mkdtempSync(join(tmpdir(), 'gatehouse-jest-modules-'))
  await build({
    entry: { core: join(root, 'packages/core/src/index.ts'), testing: join(root, 'packages/testing/src/index.ts') },
    outDir: modules,
    format: ['esm'],
    splitting: true,
    platform: 'node',
    target: 'node20',
    noExternal: [/^@gatehousejs\//],
    tsconfig: join(root, 'tsconfig.json'),
    config: false,
    dts: false,
    sourcemap: false,
    silent: true,
  })
}, 120_000)

afterAll(() => {
  if (modules) rmSync(modules, { recursive: true, force: true })
})

function runJest(testFile: string) {
  return spawnSync(
    process.execPath,
    [
      '--experimental-vm-modules',
      '--no-warnings',
      join(root, 'node_modules/jest/bin/jest.js'),
      '--config',
      join(jestDir, 'jest.config.mjs'),
      '--ci',
      '--no-cache',
      '--colors=false',
      '--runTestsByPath',
      testFile,
    ],
    { cwd: root, encoding: 'utf8', timeout: 120_000, env: { ...process.env, GATEHOUSE_JEST_MODULES: modules, FORCE_COLOR: '0' } },
  )
}

describe('jest runner', () => {
  it('the README shows the example as it runs', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
    const body = (text: string) => {
      const start = text.indexOf("test('throttles, then refills'")
      return text.slice(start, text.indexOf('expect(rec).not.toHaveInvoked', start))
    }
    expect(body(readme).length).toBeGreaterThan(100)
    expect(body(readme)).toBe(body(readFileSync(example, 'utf8')))
    const setup = readFileSync(join(jestDir, 'setup.mjs'), 'utf8')
    expect(readme).toContain(setup.slice(setup.indexOf('import')))
  })

  it('runs the jest example green, matchers included', () => {
    const r = runJest(example)
    const out = r.stderr + r.stdout
    expect(out).toMatch(/Tests:\s+3 passed, 3 total/)
    expect(out).toMatch(/Test Suites:\s+1 passed, 1 total/)
    expect(r.status).toBe(0)
  }, 120_000)

  it('reports a failing matcher as a failure', () => {
    const dir = mkdtempSync(join(jestDir, 'tmp-broken-'))
    try {
      const source = readFileSync(example, 'utf8')
      const broken = source.replace("toBeGatewayResponse('THROTTLED')", "toBeGatewayResponse('QUOTA_EXCEEDED')")
      expect(broken).not.toBe(source)
      const copy = join(dir, 'broken.test.mjs')
      writeFileSync(copy, broken)
      const r = runJest(copy)
      const out = r.stderr + r.stdout
      expect(out).toMatch(/Tests:\s+1 failed, 2 passed, 3 total/)
      expect(out).toMatch(/expected a QUOTA_EXCEEDED gateway response/)
      expect(r.status).toBe(1)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 120_000)
})
