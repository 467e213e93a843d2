/**
 * @gatehouse/cache's in-memory response cache beside lru-cache configured for the same job: `maxSize` in bytes with
 * the same `sizeCalculation`, a `ttl`, 10 k keys of small JSON responses.
 *
 * Our `set` copies each response (values are immutable once stored) and freezes the copy when it is first handed
 * out; lru-cache stores the reference. Both clocks are coarse by default: lru-cache caches `performance.now()` for
 * 1 ms on reads (`ttlResolution`) but reads it on every `set`; ours caches `Date.now()` for 1 ms or 256 calls.
 * Both are left at their defaults, as users run them.
 */
import { LRUCache } from 'lru-cache'
import { createResponseCache, entrySize, type CachedResponse } from '@gatehouse/cache'
import { compare, versionOf, type Section } from './harness.js'

const N = 10_000
const keys = Array.from({ length: N }, (_, i) => `GET /pets/${i}?limit=${i % 10}`)
const response = (i: number, version: string): CachedResponse => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json', 'x-request-id': `req-${i}${version}` },
  body: JSON.stringify({ id: i, name: `pet ${i}`, tags: ['a', version === '' ? 'b' : 'c'] }),
})
const values = keys.map((_, i) => response(i, ''))
/** A second response per key (other body, other request id), for replacing an entry with different content. */
const others = keys.map((_, i) => response(i, '-2'))

/**
 * Step j of a walk through the 2 N (key, response) pairs by 7: every key comes up once in each N steps, each time
 * with the response it does not hold.
 */
const step = (j: number) => (j + 7) % (2 * N)
const keyAt = (j: number) => keys[j % N]!
const valueAt = (j: number) => (j < N ? values : others)[j % N]!

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
  let g = 0
  let h = 0
  let p = 0
  let q = 0
  const body = (v: unknown) => (v as CachedResponse | undefined)?.body
  const rows = compare(
    [
      {
        name: 'get (hit), 10 k keys',
        ours: () => body(ours.get(keys[(a = (a + 1) % N)]!)),
        peer: () => body(peer.get(keys[(b = (b + 1) % N)]!)),
      },
      {
        name: 'set (replace, same response), 10 k keys',
        ours: () => ours.set(keys[(c = (c + 7) % N)]!, values[c]!),
        peer: () => (peer.set(keys[(d = (d + 7) % N)]!, values[d]!), true),
      },
      {
        name: 'set (replace, new response), 10 k keys',
        ours: () => ours.set(keyAt((g = step(g))), valueAt(g)),
        peer: () => (peer.set(keyAt((h = step(h))), valueAt(h)), true),
      },
      {
        name: 'get miss',
        ours: () => ours.get(`absent-${(e = (e + 1) % N)}`),
        peer: () => peer.get(`absent-${(f = (f + 1) % N)}`),
      },
    ],
    1,
  )
  // Without a goal: the whole life of a fresh entry, so the freezing that ours defers to the first get is counted.
  const [storeThenGet] = compare([
    {
      name: 'set a new response, then get it (no goal)',
      ours: () => {
        ours.set(keyAt((p = step(p))), valueAt(p))
        return body(ours.get(keyAt(p)))
      },
      peer: () => {
        peer.set(keyAt((q = step(q))), valueAt(q))
        return body(peer.get(keyAt(q)))
      },
    },
  ])
  return {
    title: 'cache: in-memory response cache, 10 k keys',
    unit: 'ops/s',
    peers: { 'lru-cache': versionOf('lru-cache') },
    peerName: 'lru-cache',
    rows: [...rows, storeThenGet!],
    notes: [
      'Both bounded by bytes with the same size function (our entrySize) and a 300 s TTL; outputs compared before timing.',
      'Ours copies every response it stores and freezes the copy on its first get (values are immutable once stored); lru-cache stores the reference. "same response" replaces an entry with equal content, which ours recognises and keeps without copying; "new response" alternates two responses per key (other body and x-request-id), so every set copies. The last row stores a new response and reads it back, which is where ours pays for freezing.',
    ],
  }
}
