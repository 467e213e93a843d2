/** `java.util.Map` access over the two shapes a map takes here: a `Map`, or a plain object (a JSON payload object). */
import { ownGet, ownHas, ownSet } from './model'
import { javaString } from './print'

const hasOwn = Object.prototype.hasOwnProperty

export function entriesOf(m: Map<unknown, unknown> | Record<string, unknown>): [unknown, unknown][] {
  if (m instanceof Map) return [...m]
  const out: [unknown, unknown][] = []
  for (const k in m) if (hasOwn.call(m, k)) out.push([k, m[k]])
  return out
}

export function mapGet(m: Map<unknown, unknown> | Record<string, unknown>, key: unknown): unknown {
  if (m instanceof Map) {
    const v = m.get(key)
    if (v !== undefined || typeof key === 'string') return v
    // Keys typed differently by JSON (number vs string) still find each other, as Java's boxed keys would not;
    // templates index maps by string almost always, so this only rescues `$map.get(1)`-style lookups.
    return m.get(javaString(key))
  }
  return ownGet(m, typeof key === 'string' ? key : javaString(key))
}

export function mapHas(m: Map<unknown, unknown> | Record<string, unknown>, key: unknown): boolean {
  if (m instanceof Map) return m.has(key) || (typeof key !== 'string' && m.has(javaString(key)))
  return ownHas(m, typeof key === 'string' ? key : javaString(key))
}

export function mapPut(m: Map<unknown, unknown> | Record<string, unknown>, key: unknown, value: unknown): unknown {
  const prev = mapGet(m, key)
  if (m instanceof Map) m.set(key, value)
  else ownSet(m, typeof key === 'string' ? key : javaString(key), value)
  return prev
}

export function mapSize(m: Map<unknown, unknown> | Record<string, unknown>): number {
  if (m instanceof Map) return m.size
  let n = 0
  for (const k in m) if (hasOwn.call(m, k)) n++
  return n
}
