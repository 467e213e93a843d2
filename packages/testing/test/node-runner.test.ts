// Runs the node:test example (node-runner.mjs) in a child process so it is part of `npm test`: the suite must
// pass, and a deliberately failing copy must fail (so this test can fail).
// node:test: https://nodejs.org/api/test.html
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const file = fileURLToPath(new URL('./node-runner.mjs', import.meta.url))

function runNodeTest(path: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', path], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  })
}

describe('node:test runner', () => {
  it('runs the node:test example green', () => {
    const r = runNodeTest(file)
    expect(r.stderr + r.stdout).toMatch(/# pass 3/)
    expect(r.status).toBe(0)
  })

  it('reports a failing assertion as a failure', () => {
    const dir = mkdtempSync(`${fileURLToPath(new URL('./', import.meta.url))}.tmp-node-runner-`)
    try {
      const broken = readFileSync(file, 'utf8').replace(
        "assert.deepEqual(res.json(), { id: '7' })",
        "assert.deepEqual(res.json(), { id: '8' })",
      )
      expect(broken).not.toBe(readFileSync(file, 'utf8'))
      const copy = `${dir}/broken.mjs`
      writeFileSync(copy, broken)
      const r = runNodeTest(copy)
      expect(r.stdout).toMatch(/# fail 1/)
      expect(r.status).not.toBe(0)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
