/**
 * Where `$ref` can go: every schema resource (root, `schemas` option, embedded `id`/`$id`) and anchor, by URI.
 */
import { SchemaCompileError, type Draft } from './types'
import { DEFAULT_BASE, own, pointerTokens, resolveUri, splitFragment, walkPointer } from './uri'

/** A resolved reference: the schema node, the base URI in effect there, and its dialect. */
export interface Target {
  node: unknown
  base: string
  draft: Draft
  /** Document URI + pointer, for error messages and memo keys. */
  where: string
}

interface Resource {
  node: unknown
  draft: Draft
}

// Keywords whose value is a schema / an array of schemas / a map of schemas, by dialect.
const SINGLE_4 = ['additionalItems', 'additionalProperties', 'not', 'items']
const SINGLE_7 = [...SINGLE_4, 'contains', 'propertyNames', 'if', 'then', 'else']
const SINGLE_2020 = [...SINGLE_7, 'unevaluatedItems', 'unevaluatedProperties', 'contentSchema']
const ARRAY = ['allOf', 'anyOf', 'oneOf', 'items', 'prefixItems']
const MAP_4 = ['properties', 'patternProperties', 'definitions', 'dependencies']
const MAP_2020 = [...MAP_4, '$defs', 'dependentSchemas']

/** Schema-valued children of a node in a dialect: [keyword, key|index|null, child]. */
export function* children(node: Record<string, unknown>, draft: Draft): Generator<[string, string | number | null, unknown]> {
  const single = draft === 4 ? SINGLE_4 : draft === 7 ? SINGLE_7 : SINGLE_2020
  const maps = draft === 2020 ? MAP_2020 : MAP_4
  for (const k of single) {
    const v = own(node, k)
    if (v !== undefined && typeof v === 'object' && v !== null && !Array.isArray(v)) yield [k, null, v]
    else if (typeof v === 'boolean' && draft !== 4) yield [k, null, v]
  }
  for (const k of ARRAY) {
    const v = own(node, k)
    if (Array.isArray(v)) for (let i = 0; i < v.length; i++) yield [k, i, v[i]]
  }
  for (const k of maps) {
    const v = own(node, k)
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const key of Object.keys(v)) {
        const child = (v as Record<string, unknown>)[key]
        if (k === 'dependencies' && Array.isArray(child)) continue
        yield [k, key, child]
      }
    }
  }
}

const MODEL_URL = /^https:\/\/apigateway\.amazonaws\.com\/restapis\/[^/?#]+\/models\/([^/?#]+)$/

/** Detect a dialect from a `$schema` URI. */
export function draftOf(schema: unknown, fallback: Draft): Draft {
  const s = own(schema, '$schema')
  if (typeof s !== 'string') return fallback
  if (/draft-04/.test(s)) return 4
  if (/draft-0[67]/.test(s)) return 7
  if (/\/(2019-09|2020-12)\//.test(s)) return 2020
  return fallback
}

/** The URI/anchor index over all documents known to one compilation. */
export class Registry {
  private readonly resources = new Map<string, Resource>()
  private readonly anchors = new Map<string, Resource>()
  private readonly names = new Map<string, string>()
  /** Base URI in effect at each schema node seen while indexing. */
  readonly baseOf = new Map<object, string>()
  /** Schema resources' root nodes (documents and embedded `$id`s): entering one extends the dynamic scope. */
  readonly resourceRoots = new Set<object>()
  /** `$dynamicAnchor`s by name: resource URI → node. */
  readonly dynamicAnchors = new Map<string, Map<string, Resource>>()
  /** Does any indexed schema use `$dynamicRef` (then evaluation tracks the dynamic scope)? */
  hasDynamic = false

  /** Index a document under `uri` (its own `id`/`$id` resolved against it). Returns the document's base. */
  add(doc: unknown, uri: string, draft: Draft, name?: string): string {
    const d = draftOf(doc, draft)
    if (name !== undefined) this.names.set(name, uri)
    this.resources.set(splitFragment(uri)[0], { node: doc, draft: d })
    return this.walk(doc, splitFragment(uri)[0], d, true)
  }

  private walk(node: unknown, base: string, draft: Draft, isRoot: boolean): string {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return base
    const obj = node as Record<string, unknown>
    const hasRef = draft !== 2020 && typeof own(obj, '$ref') === 'string'
    const idKey = draft === 4 ? 'id' : '$id'
    const id = own(obj, idKey)
    let here = base
    if (typeof id === 'string' && !hasRef) {
      const abs = resolveUri(id, base)
      if (abs !== null) {
        const [uri, frag] = splitFragment(abs)
        if (frag === '' || draft === 2020) {
          here = uri
          if (!this.resources.has(uri) || isRoot) this.resources.set(uri, { node, draft })
        } else if (!frag.startsWith('/')) {
          // draft-04/07 location-independent identifier: `id: "#foo"`.
          this.anchors.set(`${uri}#${frag}`, { node, draft })
        }
      }
    }
    if (draft === 2020) {
      for (const k of ['$anchor', '$dynamicAnchor']) {
        const a = own(obj, k)
        if (typeof a === 'string') this.anchors.set(`${here}#${a}`, { node, draft })
      }
    }
    if (!this.baseOf.has(obj)) this.baseOf.set(obj, here)
    if (isRoot || here !== base) this.resourceRoots.add(obj)
    if (draft === 2020) {
      if (typeof own(obj, '$dynamicRef') === 'string') this.hasDynamic = true
      const da = own(obj, '$dynamicAnchor')
      if (typeof da === 'string') {
        let m = this.dynamicAnchors.get(da)
        if (m === undefined) this.dynamicAnchors.set(da, (m = new Map()))
        if (!m.has(here)) m.set(here, { node, draft })
      }
    }
    for (const [, , child] of children(obj, draft)) this.walk(child, here, draft, false)
    return here
  }

  /** Resolve `ref` against `base`; throws `UNRESOLVED_REF` naming `at` when nothing is there. */
  resolve(ref: string, base: string, at: string): Target {
    const abs = resolveUri(ref, base)
    if (abs === null) throw new SchemaCompileError('UNRESOLVED_REF', at, `$ref "${ref}" is not a valid URI reference`)
    const [uri, frag] = splitFragment(abs)
    let res = this.resources.get(uri)
    if (res === undefined) {
      const m = MODEL_URL.exec(uri)
      const viaName = m ? this.names.get(decodeURIComponent(m[1]!)) : undefined
      if (viaName !== undefined) res = this.resources.get(splitFragment(viaName)[0])
    }
    if (frag === '' || frag.startsWith('/') || frag.startsWith('%2F') || frag.startsWith('%2f')) {
      const tokens = pointerTokens(frag)
      if (res !== undefined && tokens !== null) {
        const node = walkPointer(res.node, tokens)
        if (node !== undefined) {
          const b = typeof node === 'object' && node !== null ? this.baseOf.get(node) : undefined
          return { node, base: b ?? uri, draft: res.draft, where: abs }
        }
      }
    } else {
      const a = this.anchors.get(abs) ?? (res ? undefined : undefined)
      if (a !== undefined) {
        const b = typeof a.node === 'object' && a.node !== null ? this.baseOf.get(a.node) : undefined
        return { node: a.node, base: b ?? uri, draft: a.draft, where: abs }
      }
    }
    throw new SchemaCompileError('UNRESOLVED_REF', at, `$ref "${ref}" cannot be resolved (resolved to "${abs}")`)
  }

  /** The URI a document registered by name lives at. */
  uriOfName(name: string): string | undefined {
    return this.names.get(name)
  }
}

export { DEFAULT_BASE }
