import { randomBytes } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createEncryptedCache, createResponseCache, type CachedResponse } from '@gatehousejs/cache'

describe('createEncryptedCache', () => {
  it('round-trips text and binary responses synchronously over the memory cache', () => {
    const inner = createResponseCache({ maxBytes: 1 << 20 })
    const cache = createEncryptedCache(inner, randomBytes(32))
    // biome-ignore lint/nursery/noFloatingPromises: over the memory cache, set is synchronous (what this test checks)
    cache.set('a', { statusCode: 201, headers: { x: 'y', 'set-cookie': ['1', '2'] }, body: 'secret body' })
    // biome-ignore lint/nursery/noFloatingPromises: over the memory cache, set is synchronous (what this test checks)
    cache.set('b', { statusCode: 200, headers: {}, body: new Uint8Array([0, 1, 255]) })
    const a = cache.get('a') as CachedResponse
    expect(a).toEqual({ statusCode: 201, headers: { x: 'y', 'set-cookie': ['1', '2'] }, body: 'secret body' })
    expect(Object.isFrozen(a.headers['set-cookie'])).toBe(true)
    expect([...((cache.get('b') as CachedResponse).body as Uint8Array)]).toEqual([0, 1, 255])
    // At rest: nothing readable.
    const stored = inner.get('a')!
    expect(stored.statusCode).toBe(0)
    expect(Buffer.from(stored.body as Uint8Array).toString('latin1')).not.toContain('secret')
  })

  it('an entry moved to another key, a tampered entry, or the wrong key is a miss', () => {
    const inner = createResponseCache({ maxBytes: 1 << 20 })
    const key = randomBytes(32)
    const cache = createEncryptedCache(inner, key)
    // biome-ignore lint/nursery/noFloatingPromises: over the memory cache, set is synchronous (what this test checks)
    cache.set('a', { statusCode: 200, headers: {}, body: 'x' })
    inner.set('b', inner.get('a')!)
    expect(cache.get('b')).toBeUndefined()
    const body = (inner.get('a')!.body as Uint8Array).slice()
    body[body.length - 1]! ^= 1
    inner.set('c', { statusCode: 0, headers: {}, body })
    expect(cache.get('c')).toBeUndefined()
    expect(createEncryptedCache(inner, randomBytes(32)).get('a')).toBeUndefined()
    expect(cache.get('a')).toBeDefined()
    expect(() => createEncryptedCache(inner, randomBytes(16))).toThrow(expect.objectContaining({ code: 'INVALID_VALUE' }))
  })

  it('property: any response decrypts to itself', () => {
    const cache = createEncryptedCache(createResponseCache({ maxBytes: 1 << 24 }), randomBytes(32))
    fc.assert(
      fc.property(
        fc.string(),
        fc.integer({ min: 100, max: 599 }),
        fc.dictionary(fc.string({ minLength: 1 }), fc.oneof(fc.string(), fc.array(fc.string()))),
        fc.oneof(fc.string(), fc.uint8Array()),
        (k, statusCode, headers, body) => {
          // biome-ignore lint/nursery/noFloatingPromises: over the memory cache, set is synchronous (what this test checks)
          cache.set(k, { statusCode, headers, body })
          const got = cache.get(k) as CachedResponse
          expect(got.statusCode).toBe(statusCode)
          expect(got.headers).toEqual(headers)
          if (typeof body === 'string') expect(got.body).toBe(body)
          else expect([...(got.body as Uint8Array)]).toEqual([...body])
        },
      ),
      { numRuns: 200 },
    )
  })
})
