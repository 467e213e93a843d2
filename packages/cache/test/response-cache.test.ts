import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CacheError, createResponseCache, entrySize, type CachedResponse } from '@gatehouse/cache'

const res = (body: string | Uint8Array, headers: Record<string, string | string[]> = {}): CachedResponse => ({
  statusCode: 200,
  headers,
  body,
})

/** The reference: entries in recency order (most recent first) with absolute expiry times. */
class Model {
  entries: { key: string; body: string; size: number; expires: number }[] = []
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
  get(key: string, now: number): string | undefined {
    const i = this.find(key)
    if (i < 0) return undefined
    const [e] = this.entries.splice(i, 1)
    if (e!.expires <= now) return undefined
    this.entries.unshift(e!)
    return e!.body
  }
  set(key: string, body: string, size: number, ttl: number, now: number): boolean {
    const i = this.find(key)
    if (i >= 0) this.entries.splice(i, 1)
    if (ttl === 0 || size > this.maxEntryBytes || size > this.maxBytes) return false
    this.entries.unshift({ key, body, size, expires: now + ttl * 1000 })
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

const op = fc.oneof(
  fc.record({ kind: fc.constant('get' as const), key: fc.integer({ min: 0, max: 12 }) }),
  fc.record({
    kind: fc.constant('set' as const),
    key: fc.integer({ min: 0, max: 12 }),
    body: fc.string({ maxLength: 40, unit: fc.constantFrom('a', 'é', '€', '😀') }),
    ttl: fc.oneof(fc.constant(undefined), fc.integer({ min: 0, max: 20 })),
  }),
  fc.record({ kind: fc.constant('delete' as const), key: fc.integer({ min: 0, max: 12 }) }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 8000 }) }),
  fc.record({ kind: fc.constant('flush' as const) }),
)

describe('createResponseCache', () => {
  it('property: agrees with a reference model, never exceeds maxBytes, never serves an expired entry', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 10 }),
        fc.array(op, { maxLength: 200 }),
        (maxBytes, maxEntryBytes, ttlSeconds, ops) => {
          let t = 1_000_000
          const cache = createResponseCache({ maxBytes, maxEntryBytes, ttlSeconds, now: () => t })
          const model = new Model(maxBytes, maxEntryBytes)
          let hits = 0
          let misses = 0
          for (const o of ops) {
            switch (o.kind) {
              case 'get': {
                const key = `k${o.key}`
                const expected = model.get(key, t)
                const got = cache.get(key)
                expect(got?.body).toBe(expected)
                if (expected === undefined) misses++
                else hits++
                break
              }
              case 'set': {
                const key = `k${o.key}`
                const value = res(o.body, { 'content-type': 'text/plain' })
                const size = entrySize(key, value)
                expect(size).toBe(Buffer.byteLength(key) + Buffer.byteLength(o.body) + Buffer.byteLength('content-typetext/plain'))
                expect(cache.set(key, value, o.ttl)).toBe(model.set(key, o.body, size, o.ttl ?? ttlSeconds, t))
                break
              }
              case 'delete':
                expect(cache.delete(`k${o.key}`)).toBe(model.delete(`k${o.key}`, t))
                break
              case 'advance':
                t += o.ms
                break
              case 'flush':
                cache.flush()
                model.entries = []
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
      { numRuns: 300 },
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
})
