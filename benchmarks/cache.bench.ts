/**
 * @gatehouse/cache's in-memory response cache beside lru-cache configured for the same job: `maxSize` in bytes with
 * the same `sizeCalculation`, a `ttl`, 10 k keys of small JSON responses.
 *
 * Our `set` copies and freezes each response (values are immutable once stored); lru-cache stores the reference.
 * Our clock is `Date.now` read on every call; lru-cache caches `performance.now()` for 1 ms (`ttlResolution`).
 * Both are left at their defaults, as users run them.
 */
import { LRUCache } from 'lru-cache'
import { createResponseCache, entrySize, type CachedResponse } from '@gatehouse/cache'
import { compare, versionOf, type Section } from './harness.js'

const N = 10_000
const keys = Array.from({ length: N }, (_, i) => `GET /pets/${i}?limit=${i % 10}`)
const values: CachedResponse[] = keys.map((_, i) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json', 'x-request-id': `req-${i}` },
  body: JSON.stringify({ id: i, name: `pet ${i}`, tags: ['a', 'b'] }),
}))

export default async (): Promise<Section> => {
  const maxBytes = 64 << 20
  const ours = createResponseCache({ maxBytes, ttlSeconds: 300 })
  const peer = new LRUCache<string, CachedResponse>({
    maxSize: maxBytes,
    ttl: 300_000,
    sizeCalculation: (v, k) => entrySize(k, v),
  })
  for (let i = 0; i < N; i++) {
    ours.set(keys[i]!, values[i]!)
    peer.set(keys[i]!, values[i]!)
  }
  let a = 0
  let b = 0
  let c = 0
  let d = 0
  let e = 0
  let f = 0
  const body = (v: unknown) => (v as CachedResponse | undefined)?.body
  const rows = compare(
    [
      {
        name: 'get (hit), 10 k keys',
        ours: () => body(ours.get(keys[(a = (a + 1) % N)]!)),
        peer: () => body(peer.get(keys[(b = (b + 1) % N)]!)),
      },
      {
        name: 'set (replace), 10 k keys',
        ours: () => ours.set(keys[(c = (c + 7) % N)]!, values[c]!),
        peer: () => (peer.set(keys[(d = (d + 7) % N)]!, values[d]!), true),
      },
      {
        name: 'get miss',
        ours: () => ours.get(`absent-${(e = (e + 1) % N)}`),
        peer: () => peer.get(`absent-${(f = (f + 1) % N)}`),
      },
    ],
    1,
  )
  return {
    title: 'cache: in-memory response cache, 10 k keys',
    unit: 'ops/s',
    peers: { 'lru-cache': versionOf('lru-cache') },
    peerName: 'lru-cache',
    rows,
    notes: ['Both bounded by bytes with the same size function and a 300 s TTL; outputs compared before timing.'],
  }
}
