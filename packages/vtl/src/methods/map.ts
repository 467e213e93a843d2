/** `java.util.Map` methods on `Map`s and plain objects, and the `Map.Entry` that `entrySet()` gives. */
import { charge } from '../budget'
import { javaEquals } from '../values/equality'
import { entriesOf, mapGet, mapHas, mapPut, mapSize } from '../values/maps'
import { Host, isPlainObject } from '../values/model'
import { javaString, markJavaList } from '../values/print'
import type { Method } from './method'

type JMap = Map<unknown, unknown> | Record<string, unknown>

/** A `Map.Entry` from `entrySet()`. */
export class Entry extends Host {
  constructor(
    readonly map: JMap,
    readonly key: unknown,
    public value: unknown,
  ) {
    super()
  }
  prop(name: string): unknown {
    return name === 'key' ? this.key : name === 'value' ? this.value : undefined
  }
  call(name: string, args: unknown[]): unknown {
    if (name === 'getKey') return this.key
    if (name === 'getValue') return this.value
    if (name === 'setValue') {
      const prev = this.value
      this.value = args[0]
      mapPut(this.map, this.key, args[0])
      return prev
    }
    if (name === 'toString') return this.toString()
    return undefined
  }
  toString(): string {
    return `${javaString(this.key)}=${javaString(this.value)}`
  }
}

function mapRemove(m: JMap, k: unknown): unknown {
  const prev = mapGet(m, k)
  if (m instanceof Map) {
    if (!m.delete(k) && typeof k !== 'string') m.delete(javaString(k))
  } else delete m[typeof k === 'string' ? k : javaString(k)]
  return prev
}

export const mapMethods = new Map<string, Method<JMap>>([
  ['get', (m, [k]) => mapGet(m, k)],
  ['getOrDefault', (m, [k, d]) => (mapHas(m, k) ? mapGet(m, k) : d)],
  ['put', (m, [k, v]) => mapPut(m, k, v)],
  [
    'putIfAbsent',
    (m, [k, v]) => {
      const prev = mapGet(m, k)
      if (prev === undefined || prev === null) mapPut(m, k, v)
      return prev
    },
  ],
  [
    'putAll',
    (m, [x]) => {
      if (x instanceof Map || isPlainObject(x)) {
        const entries = entriesOf(x)
        charge(entries.length)
        for (const [k, v] of entries) mapPut(m, k, v)
      }
      return undefined
    },
  ],
  ['containsKey', (m, [k]) => mapHas(m, k)],
  [
    'containsValue',
    (m, [v]) => {
      const entries = entriesOf(m)
      charge(entries.length)
      return entries.some(([, x]) => javaEquals(x, v))
    },
  ],
  [
    'keySet',
    (m) => {
      const keys = m instanceof Map ? [...m.keys()] : Object.keys(m)
      charge(keys.length)
      return markJavaList(keys)
    },
  ],
  [
    'values',
    (m) => {
      const values = m instanceof Map ? [...m.values()] : Object.values(m)
      charge(values.length)
      return markJavaList(values)
    },
  ],
  [
    'entrySet',
    (m) => {
      const entries = entriesOf(m)
      charge(entries.length)
      return markJavaList(entries.map(([k, v]) => new Entry(m, k, v)))
    },
  ],
  [
    'size',
    (m) => {
      if (m instanceof Map) return m.size
      // A plain object (a JSON payload object) is counted key by key.
      const n = mapSize(m)
      charge(n)
      return n
    },
  ],
  [
    'isEmpty',
    (m) => {
      if (m instanceof Map) return m.size === 0
      for (const k in m) if (Object.prototype.hasOwnProperty.call(m, k)) return false
      return true
    },
  ],
  ['remove', (m, [k]) => mapRemove(m, k)],
  [
    'clear',
    (m) => {
      if (m instanceof Map) m.clear()
      else {
        const keys = Object.keys(m)
        charge(keys.length)
        for (const k of keys) delete m[k]
      }
      return undefined
    },
  ],
  ['equals', (m, [x]) => javaEquals(m, x)],
  ['toString', (m) => javaString(m)],
])
