import { describe, expect, test } from 'vitest'
import fc from 'fast-check'
import { createRouter, parseTemplate, RouterError, type RouteDefinition } from '@gatehousejs/router'

// A deliberately naive reference: try every route, keep those whose template and method match, rank them by
// API Gateway's precedence and take the best.
type Kind = 0 | 1 | 2 // literal, parameter, greedy

interface Candidate {
  route: RouteDefinition<number>
  params: Record<string, string>
  kinds: Kind[]
  exactMethod: boolean
  greedy: boolean
}

function normalise(path: string): string[] | null {
  if (path === '') return []
  if (!path.startsWith('/')) return null
  let p = path.replace(/^\/+/, '/')
  while (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1)
  return p === '/' ? [] : p.slice(1).split('/')
}

function matchTemplate(template: string, segs: string[]): { params: Record<string, string>; kinds: Kind[] } | null {
  const tpl = template === '/' ? [] : template.slice(1).split('/')
  const params: Record<string, string> = {}
  const kinds: Kind[] = []
  for (let i = 0; i < tpl.length; i++) {
    const t = tpl[i]!
    if (t.endsWith('+}')) {
      const rest = segs.slice(i).join('/')
      if (segs.length <= i || rest === '') return null
      params[t.slice(1, -2)] = rest
      kinds.push(2)
      return { params, kinds }
    }
    if (i >= segs.length || segs[i] === '') return null
    if (t.startsWith('{')) {
      params[t.slice(1, -1)] = segs[i]!
      kinds.push(1)
    } else {
      if (t !== segs[i]) return null
      kinds.push(0)
    }
  }
  return tpl.length === segs.length ? { params, kinds } : null
}

function better(a: Candidate, b: Candidate, greedyLast: boolean): boolean {
  if (greedyLast && a.greedy !== b.greedy) return !a.greedy
  for (let i = 0; i < Math.min(a.kinds.length, b.kinds.length); i++) {
    if (a.kinds[i] !== b.kinds[i]) return a.kinds[i]! < b.kinds[i]!
  }
  if (a.kinds.length !== b.kinds.length) throw new Error('reference: incomparable templates')
  return a.exactMethod && !b.exactMethod
}

function bruteForce(routes: RouteDefinition<number>[], method: string, path: string, greedyLast: boolean) {
  const fallback = routes.find((r) => r.path === '$default')
  const segs = normalise(path)
  let best: Candidate | null = null
  if (segs !== null) {
    for (const route of routes) {
      if (route.path === '$default') continue
      if (route.method !== 'ANY' && route.method !== method) continue
      const m = matchTemplate(route.path, segs)
      if (m === null) continue
      const c: Candidate = { route, ...m, exactMethod: route.method !== 'ANY', greedy: m.kinds.includes(2) }
      if (best === null || better(c, best, greedyLast)) best = c
    }
  }
  if (best !== null) return { value: best.route.value, params: best.params }
  return fallback ? { value: fallback.value, params: {} } : null
}

// Parameter names are fixed per depth so that generated tables never hold conflicting sibling names.
const segment = (depth: number) =>
  fc.oneof(
    // Six literals (some prefixes of others) so nodes get past the first-character index threshold.
    { weight: 3, arbitrary: fc.constantFrom('a', 'b', 'c', 'ab', 'abc', 'ba') },
    { weight: 2, arbitrary: fc.constant(`{p${depth}}`) },
    { weight: 1, arbitrary: fc.constant(`{g${depth}+}`) },
  )

const template = fc.integer({ min: 0, max: 4 }).chain((n) =>
  fc.tuple(...Array.from({ length: n }, (_, i) => segment(i))).map((segs) => {
    const g = segs.findIndex((s) => s.endsWith('+}'))
    const kept = g === -1 ? segs : segs.slice(0, g + 1)
    return `/${kept.join('/')}`
  }),
)

const routeTable = fc
  .tuple(
    fc.uniqueArray(fc.tuple(fc.constantFrom('GET', 'POST', 'ANY'), template), {
      maxLength: 20,
      selector: ([m, p]) => `${m} ${p}`,
    }),
    fc.boolean(),
  )
  .map(([pairs, withDefault]) => {
    const routes: RouteDefinition<number>[] = pairs.map(([method, path], i) => ({ method, path, value: i }))
    if (withDefault) routes.push({ method: 'ANY', path: '$default', value: -1 })
    return routes
  })

const requestPath = fc
  .tuple(
    fc.array(fc.constantFrom('a', 'b', 'c', 'ab', 'abc', 'ba', 'abcd', 'x', '', '%41', 'a%2Fb', '%E0%A4%A', '%'), { maxLength: 6 }),
    fc.constantFrom('/', '//', ''),
    fc.constantFrom('', '/', '//'),
  )
  .map(([segs, lead, trail]) => (segs.length === 0 ? lead || '/' : lead + segs.join('/') + trail))

describe('find agrees with a brute-force matcher', () => {
  for (const greedyLast of [false, true]) {
    test(`random tables and paths (greedyLast: ${greedyLast})`, () => {
      fc.assert(
        fc.property(
          routeTable,
          fc.array(fc.tuple(fc.constantFrom('GET', 'POST', 'PUT'), requestPath), { minLength: 1, maxLength: 12 }),
          (routes, requests) => {
            const router = createRouter(routes, { greedyLast })
            for (const [method, path] of requests) {
              const got = router.find(method, path)
              const want = bruteForce(routes, method, path, greedyLast)
              expect(got === null ? null : { value: got.value, params: { ...got.params } }).toEqual(want)
            }
          },
        ),
        { numRuns: 400 },
      )
    })
  }

  test('decodeParams: the same routes, each value percent-decoded (malformed escapes kept raw)', () => {
    const decode = (v: string) => {
      try {
        return decodeURIComponent(v)
      } catch {
        return v
      }
    }
    fc.assert(
      fc.property(routeTable, fc.array(requestPath, { minLength: 1, maxLength: 8 }), (routes, paths) => {
        const router = createRouter(routes, { decodeParams: true })
        for (const path of paths) {
          const got = router.find('GET', path)
          const want = bruteForce(routes, 'GET', path, false)
          if (want !== null) for (const k of Object.keys(want.params)) want.params[k] = decode(want.params[k]!)
          expect(got === null ? null : { value: got.value, params: { ...got.params } }).toEqual(want)
        }
      }),
      { numRuns: 200 },
    )
  })

  test('allowedMethods lists the methods of every matching route', () => {
    fc.assert(
      fc.property(routeTable, fc.array(requestPath, { minLength: 1, maxLength: 8 }), (routes, paths) => {
        const router = createRouter(routes)
        for (const path of paths) {
          const segs = normalise(path)
          const want =
            segs === null
              ? []
              : [...new Set(routes.filter((r) => r.path !== '$default' && matchTemplate(r.path, segs)).map((r) => r.method))].sort()
          expect(router.allowedMethods(path)).toEqual(want)
        }
      }),
      { numRuns: 200 },
    )
  })

  test('paths built from the table itself (deep hits, not just misses)', () => {
    fc.assert(
      fc.property(routeTable, fc.array(fc.constantFrom('a', 'b', 'ab', 'zz', '1'), { maxLength: 3 }), (routes, extra) => {
        const router = createRouter(routes)
        for (const route of routes) {
          if (route.path === '$default') continue
          const path = route.path.replace(/\{[^}]+\+\}/, ['q', ...extra].join('/')).replace(/\{[^}]+\}/g, 'v')
          for (const method of ['GET', 'POST', 'DELETE']) {
            const got = router.find(method, path)
            const want = bruteForce(routes, method, path, false)
            expect(got === null ? null : { value: got.value, params: { ...got.params } }).toEqual(want)
          }
        }
      }),
      { numRuns: 300 },
    )
  })
})

describe('robustness', () => {
  const router = createRouter(
    [
      { method: 'GET', path: '/a/{id}', value: 1 },
      { method: 'ANY', path: '/b/{proxy+}', value: 2 },
      { method: 'GET', path: '/', value: 3 },
    ],
    { decodeParams: true },
  )

  test('find never throws, whatever the method and path', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (method, path) => {
        router.find(method, path)
        router.find(method, `/a/${path}`)
        router.find(method, `/b/${path}`)
        router.allowedMethods(path)
      }),
      { numRuns: 1000 },
    )
  })

  test('parseTemplate throws only RouterError', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('/', '{', '}', '+', 'a', ' ', '') }), (path) => {
        try {
          parseTemplate(path)
        } catch (err) {
          expect(err).toBeInstanceOf(RouterError)
        }
      }),
      { numRuns: 1000 },
    )
  })

  test('createRouter throws only RouterError on random tables', () => {
    const anyTemplate = fc.string({ unit: fc.constantFrom('/', '{', '}', '+', 'a', 'b', 'x') })
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('GET', 'ANY', 'get', '', 'B AD'), anyTemplate)), (pairs) => {
        try {
          createRouter(pairs.map(([method, path], value) => ({ method, path, value })))
        } catch (err) {
          expect(err).toBeInstanceOf(RouterError)
        }
      }),
      { numRuns: 500 },
    )
  })
})
