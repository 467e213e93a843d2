/**
 * Fuzz (issue #12): `find` and `allowedMethods` over hostile request paths — random bytes, percent sequences,
 * overlong and invalid UTF-8 escapes, lone surrogates, very long paths and many segments. Invariants: never a
 * throw, a route or null only; parameters raw (REST) or decoded where decodable and left raw otherwise (HTTP APIs),
 * as documented; bounded output: no more parameters than the route has and than the path has segments, raw
 * values are slices of the path (so their total length is at most the path's); the same answer twice.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createRouter, type RouteMatch } from '@gatehousejs/router'
import { fuzzParams } from '@gatehousejs/test-kit'

const routes = [
  { method: 'GET', path: '/', value: 'root' },
  { method: 'GET', path: '/pets', value: 'pets' },
  { method: 'GET', path: '/pets/{id}', value: 'pet' },
  { method: 'POST', path: '/pets/{id}/toys/{toy}', value: 'toy' },
  { method: 'ANY', path: '/pets/{id}/{proxy+}', value: 'pet-rest' },
  { method: 'GET', path: '/a/b/c/d/e/f', value: 'deep' },
  { method: 'GET', path: '/a/{x}/c/{y}/e/{z}', value: 'deep-params' },
  { method: 'ANY', path: '/files/{path+}', value: 'files' },
  { method: 'GET', path: '/%C3%A9t%C3%A9', value: 'encoded-literal' },
  { method: 'GET', path: '/{__proto__}/constructor', value: 'proto-name' },
  { method: 'ANY', path: '/{proxy+}', value: 'catch-all' },
]
const withDefault = [...routes, { method: 'ANY', path: '$default', value: 'default' }]

/** Names each route's template declares, for the bounded-output check. */
const declared = new Map(withDefault.map((r) => [r.value, (r.path.match(/\{[^}]+\}/g) ?? []).length]))

const percent = fc.oneof(
  fc.integer({ min: 0, max: 255 }).map((b) => `%${b.toString(16).padStart(2, '0')}`),
  fc.constantFrom(
    '%',
    '%%',
    '%2',
    '%zz',
    '%2F',
    '%2f',
    '%C0%AF',
    '%E0%80%AF',
    '%ED%A0%80',
    '%F4%90%80%80',
    '%FF',
    '%C3',
    '%C3%28',
    '%25',
    '%00',
  ),
)
const segmentChar = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(..."abcdefpetsoyfil-._~!$&'()*+,;=:@") },
  { weight: 2, arbitrary: percent },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
)
const segment = fc.oneof(
  fc.constantFrom('pets', 'toys', 'a', 'b', 'c', 'files', '', '.', '..', '__proto__', 'constructor', 'toString', '%C3%A9t%C3%A9'),
  fc.array(segmentChar, { maxLength: 6 }).map((cs) => cs.join('')),
)
const hostilePath = fc.oneof(
  { weight: 6, arbitrary: fc.array(segment, { maxLength: 12 }).map((segs) => `/${segs.join('/')}`) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.array(segment, { minLength: 200, maxLength: 2000 }).map((segs) => `/${segs.join('/')}`) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 5000 }).map((n) => `${'/'.repeat(n)}pets${'/'.repeat(n)}`) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(segment, fc.integer({ min: 1000, max: 50_000 }))
      .map(([s, n]) => `/files/${s.repeat(Math.max(1, Math.floor(n / Math.max(1, s.length))))}`),
  },
)
const method = fc.constantFrom(
  'GET',
  'POST',
  'PUT',
  'DELETE',
  'OPTIONS',
  'HEAD',
  'PATCH',
  'get',
  'X-CUSTOM',
  '__proto__',
  'constructor',
  '',
)

function decodeOrRaw(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

/** Raw-mode checks: parameter count bounded by the route and the path, each value a slice of the path. */
function check(m: RouteMatch<string> | null, path: string): void {
  if (m === null) return
  expect(typeof m.value).toBe('string')
  const names = Object.keys(m.params)
  expect(names.length).toBe(declared.get(m.value))
  expect(names.length).toBeLessThanOrEqual(path.split('/').length)
  let total = 0
  for (const name of names) {
    const v = Object.getOwnPropertyDescriptor(m.params, name)!.value as string
    expect(path.includes(v)).toBe(true)
    total += v.length
  }
  expect(total).toBeLessThanOrEqual(path.length)
}

/** Decoded mode: the same route as the raw twin, each value the decoding of the raw one (or it, undecodable). */
function checkDecoded(m: RouteMatch<string> | null, raw: RouteMatch<string> | null): void {
  expect(m?.value).toBe(raw?.value)
  if (m === null || raw === null) return
  for (const name of Object.keys(raw.params)) {
    const r = Object.getOwnPropertyDescriptor(raw.params, name)!.value as string
    expect(Object.getOwnPropertyDescriptor(m.params, name)!.value).toBe(decodeOrRaw(r))
  }
}

describe('router fuzz', () => {
  for (const [label, options] of [
    ['REST (raw params)', { rejectVariableSiblings: false }],
    ['HTTP API (decoded params, greedy last)', { decodeParams: true, greedyLast: true }],
  ] as const) {
    describe(label, () => {
      const router = createRouter(withDefault, options)
      const noDefault = createRouter(routes, options)
      const decode = 'decodeParams' in options

      it('find: a route or null, never a throw; bounded, stable output', () => {
        const rawTwin = createRouter(withDefault, { ...options, decodeParams: false })
        fc.assert(
          fc.property(method, hostilePath, (m, path) => {
            const raw = rawTwin.find(m, path)
            expect(raw).not.toBeNull() // $default catches the rest
            check(raw, path)
            const hit = router.find(m, path)
            if (decode) checkDecoded(hit, raw)
            else expect(hit).toEqual(raw)
            expect(router.find(m, path)).toEqual(hit)
            const miss = noDefault.find(m, path)
            if (miss !== null) expect(miss.value).toBe(hit!.value)
            else expect(hit!.value).toBe('default')
          }),
          fuzzParams(400),
        )
      })

      it('allowedMethods: a sorted list of declared methods, never a throw', () => {
        const known = new Set(routes.map((r) => r.method))
        fc.assert(
          fc.property(hostilePath, (path) => {
            const list = router.allowedMethods(path)
            expect([...list].sort()).toEqual(list)
            for (const x of list) expect(known.has(x)).toBe(true)
          }),
          fuzzParams(200),
        )
      })
    })
  }

  it('non-string input is a miss or $default, not a throw', () => {
    const router = createRouter(withDefault)
    for (const bad of [undefined, null, 42, {}, [], Symbol('x')]) {
      expect(router.find('GET', bad as unknown as string)?.value).toBe('default')
      expect(router.allowedMethods(bad as unknown as string)).toEqual([])
    }
  })

  it('a parameter named __proto__ is an own key holding the value', () => {
    for (const options of [{}, { decodeParams: true }]) {
      const m = createRouter(routes, options).find('GET', '/x%41/constructor')!
      expect(m.value).toBe('proto-name')
      expect(Object.getOwnPropertyDescriptor(m.params, '__proto__')?.value).toBe('decodeParams' in options ? 'xA' : 'x%41')
      expect(Object.getPrototypeOf(m.params)).toBe(Object.prototype)
    }
  })
})
