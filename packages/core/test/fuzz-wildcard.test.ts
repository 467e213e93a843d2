// IAM / resource-policy wildcards: the linear glob matcher agrees with the RegExp the policy engine used before
// (`*` → `[\s\S]*`, `?` → `[\s\S]`, with the `u` flag, `iu` for case-insensitive patterns), and its step count is
// bounded by (n + 1)·(m + 1) whatever the pattern.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compileWildcard, wildcardStats } from '../src/policy/wildcard'
import { fuzzParams } from '@gatehousejs/test-kit'

/** The old construction, kept here as the oracle. */
function oldWildcard(pattern: string, ignoreCase: boolean): (v: string) => boolean {
  let source = '^'
  for (const ch of pattern) {
    if (ch === '*') source += '[\\s\\S]*'
    else if (ch === '?') source += '[\\s\\S]'
    else source += ch.replace(/[\\^$.|+()[\]{}/]/g, '\\$&')
  }
  const re = new RegExp(`${source}$`, ignoreCase ? 'iu' : 'u')
  return (v) => re.test(v)
}

const alphabet = ['a', 'b', 'A', 'B', ':', '/', '-', '.', 'é', 'É', 'ſ', 's', 'S', 'K', 'k', '😀', '\n', '$', '(']
const text = fc.array(fc.constantFrom(...alphabet), { maxLength: 14 }).map((a) => a.join(''))
const pattern = fc.array(fc.constantFrom(...alphabet, '*', '?', '*', '?'), { maxLength: 10 }).map((a) => a.join(''))

describe('compileWildcard', () => {
  it('agrees with the old RegExp semantics, both case modes', () => {
    fc.assert(
      fc.property(pattern, text, fc.boolean(), (p, v, ignoreCase) => {
        expect(compileWildcard(p, ignoreCase)(v)).toBe(oldWildcard(p, ignoreCase)(v))
      }),
      fuzzParams(3000),
    )
  })

  it('takes at most (n + 1)·(m + 1) steps', () => {
    fc.assert(
      fc.property(
        pattern,
        fc.array(fc.constantFrom('a', 'b', '/'), { maxLength: 200 }).map((a) => a.join('')),
        (p, v) => {
          const match = compileWildcard(p)
          wildcardStats.steps = 0
          match(v)
          expect(wildcardStats.steps).toBeLessThanOrEqual((v.length + 1) * (p.length + 1))
        },
      ),
      fuzzParams(1000),
    )
  })

  it('many stars on a long value: quadratic at worst, not O(n^k)', () => {
    const match = compileWildcard(`${'*a'.repeat(12)}*b`)
    const value = 'a'.repeat(5000)
    wildcardStats.steps = 0
    expect(match(value)).toBe(false)
    expect(wildcardStats.steps).toBeLessThanOrEqual(value.length * 30)
  })
})
