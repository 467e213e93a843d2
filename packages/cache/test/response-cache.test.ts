import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CacheError, createResponseCache, entrySize, type CachedResponse } from '@gatehousejs/cache'

const res = (body: string | Uint8Array, headers: Record<string, string | string[]> = {}): CachedResponse => ({
  statusCode: 200,
  headers,
  body,
})

type Headers = Record<string, string | string[]>

/** The reference: entries in recency order (most recent first) with absolute expiry times. */
class Model {
  entries: { key: string; value: CachedResponse; size: number; expires: number }[] = []
  constructor(
    readonly maxBytes: number,
    readonly maxEntryBytes: number,
  ) {}
  bytes() {
    return this.entries.reduce((n, e) => n + e.size, 0)
  }
  find(key: string) {
    return this.entries.findIndex((e) => e.key === key)
  }
  get(key: string, now: number): CachedResponse | undefined {
    const i = this.find(key)
    if (i < 0) return undefined
    const [e] = this.entries.splice(i, 1)
    if (e!.expires <= now) return undefined
    this.entries.unshift(e!)
    return e!.value
  }
  set(key: string, value: CachedResponse, size: number, ttl: number, now: number): boolean {
    const i = this.find(key)
    if (i >= 0) this.entries.splice(i, 1)
    if (ttl === 0 || size > this.maxEntryBytes || size > this.maxBytes) return false
    this.entries.unshift({ key, value, size, expires: now + ttl * 1000 })
    while (this.bytes() > this.maxBytes) this.entries.pop()
    return true
  }
  delete(key: string, now: number): boolean {
    const i = this.find(key)
    if (i < 0) return false
    const [e] = this.entries.splice(i, 1)
    return e!.expires > now
  }
}

const cloneHeaders = (h: CachedResponse['headers']): Headers =>
  Object.fromEntries(Object.entries(h).map(([k, x]) => [k, typeof x === 'string' ? x : [...x]]))

/** A deep copy, so the model keeps what was stored whatever happens to the caller's objects. */
const clone = (v: CachedResponse): CachedResponse => ({
  statusCode: v.statusCode,
  headers: cloneHeaders(v.headers),
  body: typeof v.body === 'string' ? v.body : v.body.slice(),
})

// Few distinct headers and bodies, so that a key is often set again with equal content (kept as stored) as well
// as with different content (copied).
const headerSets: Headers[] = [
  {},
  { 'content-type': 'text/plain' },
  { 'set-cookie': ['a=1', 'b=2'] },
  { 'content-type': 'text/plain', x: 'é' },
]
const key = fc.integer({ min: 0, max: 8 }).map((k) => `k${k}`)
const op = fc.oneof(
  fc.record({ kind: fc.constant('get' as const), key }),
  fc.record({
    kind: fc.constant('set' as const),
    key,
    status: fc.constantFrom(200, 404),
    headers: fc.nat({ max: headerSets.length - 1 }),
    body: fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom('', 'a', 'é€😀') },
      { weight: 2, arbitrary: fc.string({ maxLength: 12, unit: fc.constantFrom('a', 'é', '€', '😀') }) },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 12 }) },
    ),
    ttl: fc.oneof(fc.constant(undefined), fc.integer({ min: 0, max: 20 })),
  }),
  fc.record({ kind: fc.constant('delete' as const), key }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 8000 }) }),
  fc.record({ kind: fc.constant('flush' as const) }),
  // Callers meddling with what they gave or got: must never change what the cache serves.
  fc.record({ kind: fc.constant('tamper' as const) }),
)

/** Changes everything reachable from `v` that can be changed, ignoring what is frozen. */
function tamper(v: CachedResponse): void {
  const attempt = (f: () => void) => {
    try {
      f()
    } catch (err) {
      if (!(err instanceof TypeError)) throw err
    }
  }
  const headers = v.headers as Headers
  attempt(() => ((v as { statusCode: number }).statusCode = 599))
  attempt(() => ((v as { body: unknown }).body = 'tampered'))
  attempt(() => (headers.injected = 'yes'))
  for (const name of Object.keys(headers)) {
    const x = headers[name]!
    if (typeof x === 'string') attempt(() => (headers[name] = `${x}!`))
    else attempt(() => x.push('more'))
  }
  if (v.body instanceof Uint8Array && v.body.length > 0) v.body[0] = (v.body[0]! + 1) % 256
}

describe('createResponseCache', () => {
  it('property: agrees with a reference model, never exceeds maxBytes, never serves an expired or altered entry', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 10 }),
        fc.array(op, { maxLength: 100, size: 'max' }),
        (maxBytes, maxEntryBytes, ttlSeconds, ops) => {
          let t = 1_000_000
          const cache = createResponseCache({ maxBytes, maxEntryBytes, ttlSeconds, now: () => t })
          const model = new Model(maxBytes, maxEntryBytes)
          let hits = 0
          let misses = 0
          const handled: CachedResponse[] = []
          for (const o of ops) {
            switch (o.kind) {
              case 'get': {
                const expected = model.get(o.key, t)
                const got = cache.get(o.key)
                expect(got).toEqual(expected)
                if (got !== undefined) {
                  expect(Object.isFrozen(got.headers)).toBe(true)
                  if (typeof got.body === 'string') expect(Object.isFrozen(got)).toBe(true)
                  handled.push(got)
                }
                if (expected === undefined) misses++
                else hits++
                break
              }
              case 'set': {
                const value: CachedResponse = { statusCode: o.status, headers: cloneHeaders(headerSets[o.headers]!), body: o.body.slice() }
                const size = entrySize(o.key, value)
                const bodyBytes = typeof o.body === 'string' ? Buffer.byteLength(o.body) : o.body.byteLength
                const headerBytes = Object.entries(value.headers).reduce(
                  (n, [k, x]) => n + Buffer.byteLength(k) + Buffer.byteLength([x].flat().join('')),
                  0,
                )
                expect(size).toBe(Buffer.byteLength(o.key) + bodyBytes + headerBytes)
                expect(cache.set(o.key, value, o.ttl)).toBe(model.set(o.key, clone(value), size, o.ttl ?? ttlSeconds, t))
                handled.push(value)
                break
              }
              case 'delete':
                expect(cache.delete(o.key)).toBe(model.delete(o.key, t))
                break
              case 'advance':
                t += o.ms
                break
              case 'flush':
                cache.flush()
                model.entries = []
                break
              case 'tamper':
                for (const v of handled) tamper(v)
                handled.length = 0
                break
            }
            const s = cache.stats()
            expect(s.bytes).toBe(model.bytes())
            expect(s.entries).toBe(model.entries.length)
            expect(s.bytes).toBeLessThanOrEqual(maxBytes)
            expect(s.hits).toBe(hits)
            expect(s.misses).toBe(misses)
          }
        },
      ),
      { numRuns: 150 },
    )
  })

  it('evicts least recently used first and counts it', () => {
    const cache = createResponseCache({ maxBytes: 30 })
    cache.set('a', res('0123456789')) // 11 bytes
    cache.set('b', res('0123456789'))
    cache.get('a')
    cache.set('c', res('0123456789')) // 33 > 30: b goes
    expect(cache.get('b')).toBeUndefined()
    expect(cache.get('a')).toBeDefined()
    expect(cache.stats()).toMatchObject({ evictions: 1, entries: 2, bytes: 22 })
  })

  it('expires on the injected clock, exactly at ttl', () => {
    let t = 0
    const cache = createResponseCache({ maxBytes: 1000, ttlSeconds: 2, now: () => t })
    cache.set('k', res('v'))
    cache.set('short', res('v'), 1)
    t = 999
    expect(cache.get('short')).toBeDefined()
    t = 1000
    expect(cache.get('short')).toBeUndefined()
    t = 1999
    expect(cache.get('k')).toBeDefined()
    t = 2000
    expect(cache.get('k')).toBeUndefined()
    expect(cache.stats()).toMatchObject({ expired: 2, entries: 0, bytes: 0 })
  })

  it('values are immutable once stored', () => {
    const cache = createResponseCache({ maxBytes: 1000 })
    const headers: Record<string, string | string[]> = { 'set-cookie': ['a=1'], x: 'y' }
    const body = new Uint8Array([1, 2, 3])
    cache.set('k', { statusCode: 200, headers, body })
    headers.x = 'changed'
    ;(headers['set-cookie'] as string[]).push('b=2')
    body[0] = 9
    const got = cache.get('k')!
    expect(got.headers).toEqual({ 'set-cookie': ['a=1'], x: 'y' })
    expect([...(got.body as Uint8Array)]).toEqual([1, 2, 3])
    expect(() => {
      ;(got.headers as Record<string, string>).x = 'z'
    }).toThrow(TypeError)
    expect(() => {
      ;(got.headers['set-cookie'] as string[]).push('c')
    }).toThrow(TypeError)
    ;(got.body as Uint8Array)[0] = 7
    expect([...(cache.get('k')!.body as Uint8Array)]).toEqual([1, 2, 3])
    const text = createResponseCache({ maxBytes: 1000 })
    text.set('k', res('x'))
    expect(Object.isFrozen(text.get('k'))).toBe(true)
  })

  it('refuses entries over maxEntryBytes (1 MiB by default) or with TTL 0, dropping the old one', () => {
    const cache = createResponseCache({ maxBytes: 4 << 20 })
    expect(cache.set('big', res('x'.repeat(1_048_576)))).toBe(false)
    expect(cache.set('k', res('old'))).toBe(true)
    expect(cache.set('k', res('new'), 0)).toBe(false)
    expect(cache.get('k')).toBeUndefined()
  })

  it('validates options, TTLs and values with typed errors', () => {
    expect(() => createResponseCache({ maxBytes: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_MAX_BYTES' }))
    expect(() => createResponseCache({ maxBytes: 10, ttlSeconds: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_TTL' }))
    expect(() => createResponseCache({ maxBytes: 10, maxEntryBytes: 0 })).toThrow(
      expect.objectContaining({ code: 'INVALID_MAX_ENTRY_BYTES' }),
    )
    const cache = createResponseCache({ maxBytes: 100 })
    expect(() => cache.set('k', res('x'), Number.NaN)).toThrow(CacheError)
    expect(() => cache.set('k', { statusCode: 200, headers: {}, body: 5 } as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_VALUE' }),
    )
  })

  it('keeps the stored value when a key is set again with equal content, and copies different content', () => {
    const cache = createResponseCache({ maxBytes: 1000, now: () => 0 })
    cache.set('k', { statusCode: 200, headers: { a: 'b', c: ['d', 'e'] }, body: 'x' })
    const first = cache.get('k')
    expect(cache.set('k', { statusCode: 200, headers: { c: ['d', 'e'], a: 'b' }, body: 'x' })).toBe(true)
    expect(cache.get('k')).toBe(first)
    for (const other of <CachedResponse[]>[
      { statusCode: 201, headers: { a: 'b', c: ['d', 'e'] }, body: 'x' },
      { statusCode: 201, headers: { a: 'b', c: ['d'] }, body: 'x' },
      { statusCode: 201, headers: { a: 'b' }, body: 'x' },
      { statusCode: 201, headers: { a: 'b', c: 'd' }, body: 'x' },
      { statusCode: 201, headers: { a: 'b', c: ['d', 'e'] }, body: 'y' },
    ]) {
      cache.set('k', other)
      expect(cache.get('k')).toEqual(other)
      expect(cache.stats().bytes).toBe(entrySize('k', other))
    }
  })

  it('never takes an inherited member of Object.prototype for a stored header', () => {
    const cache = createResponseCache({ maxBytes: 1000, now: () => 0 })
    cache.set('k', { statusCode: 200, headers: { a: 'b' }, body: '' })
    // Same count of headers; `toString` reads as a function (length 0) on the stored copy.
    const other = { statusCode: 200, headers: { toString: [] as string[] }, body: '' }
    cache.set('k', other)
    expect(cache.get('k')!.headers).toEqual({ toString: [] })
  })

  it('keeps a header named __proto__ as data', () => {
    const cache = createResponseCache({ maxBytes: 1000, now: () => 0 })
    const headers = JSON.parse('{"__proto__": "x", "a": "b"}') as Record<string, string>
    cache.set('k', { statusCode: 200, headers, body: '' })
    cache.set('k', { statusCode: 200, headers: JSON.parse('{"__proto__": "x", "a": "b"}') as Record<string, string>, body: '' })
    const got = cache.get('k')!
    expect(Object.getPrototypeOf(got.headers)).toBe(Object.prototype)
    expect(Object.getOwnPropertyDescriptor(got.headers, '__proto__')?.value).toBe('x')
    expect(cache.stats().bytes).toBe(1 + 9 + 1 + 1 + 1)
  })

  it('refuses header values that are not strings or lists of strings', () => {
    const cache = createResponseCache({ maxBytes: 1000, now: () => 0 })
    for (const bad of [5, null, { a: 'b' }, ['ok', 5]]) {
      const value = { statusCode: 200, headers: { x: bad }, body: '' } as never
      expect(() => cache.set('k', value)).toThrow(expect.objectContaining({ code: 'INVALID_VALUE' }))
      expect(() => entrySize('k', value)).toThrow(CacheError)
    }
    expect(cache.stats()).toMatchObject({ entries: 0, bytes: 0 })
  })

  it('hands out a fresh copy of a binary body on every get', () => {
    const cache = createResponseCache({ maxBytes: 1000, now: () => 0 })
    cache.set('k', res(new Uint8Array([1, 2])))
    const a = cache.get('k')!
    const b = cache.get('k')!
    expect(a.body).not.toBe(b.body)
    expect(a.headers).toBe(b.headers)
    expect(Object.isFrozen(a.headers)).toBe(true)
  })

  it('property: counts each key by its own UTF-8 size when responses are replaced and freed slots reused by other keys', () => {
    // A key's size is measured when it is added and kept beside its slot: keys of different sizes go through the
    // same slots here (deleted, then added again), and a replaced response must not be measured with a stale key.
    const keys = fc.constantFrom('k', 'kk', 'é', '😀 key', 'a-much-longer-key-'.repeat(3))
    fc.assert(
      fc.property(fc.array(fc.tuple(keys, fc.constantFrom('a', 'bb', 'ccc', 'é€'), fc.boolean()), { maxLength: 80 }), (ops) => {
        const cache = createResponseCache({ maxBytes: 1 << 20 })
        const live = new Map<string, CachedResponse>()
        for (const [key, body, remove] of ops) {
          if (remove) {
            cache.delete(key)
            live.delete(key)
          } else {
            cache.set(key, res(body, { 'content-type': 'text/plain' }))
            live.set(key, res(body, { 'content-type': 'text/plain' }))
          }
          let bytes = 0
          for (const [k, v] of live) bytes += entrySize(k, v)
          expect(cache.stats().bytes).toBe(bytes)
        }
      }),
    )
  })
})
