import { RouterError } from './errors'
import { parseTemplate } from './template'

/**
 * One route: an HTTP method (or `ANY`) and an API Gateway resource path template, carrying a value of your choice
 * (typically the compiled route). The path `$default` declares HTTP APIs' catch-all route (method ignored).
 *
 * @example
 * ```ts
 * import type { RouteDefinition } from '@gatehouse/router'
 * const route: RouteDefinition<string> = { method: 'GET', path: '/pets/{petId}', value: 'getPet' }
 * ```
 */
export interface RouteDefinition<T> {
  method: string
  path: string
  value: T
}

/**
 * A successful lookup. `params` holds one entry per template parameter, keyed by name without braces or `+`.
 * Treat it as read-only: for routes without parameters the same frozen object is returned on every hit.
 *
 * @example
 * ```ts
 * import { createRouter, type RouteMatch } from '@gatehouse/router'
 * const m: RouteMatch<number> | null = createRouter([{ method: 'GET', path: '/p/{id}', value: 1 }]).find('GET', '/p/7')
 * // m = { value: 1, params: { id: '7' }, route: { method: 'GET', path: '/p/{id}', value: 1 } }
 * ```
 */
export interface RouteMatch<T> {
  readonly value: T
  readonly params: Readonly<Record<string, string>>
  readonly route: RouteDefinition<T>
}

/**
 * Options of {@link createRouter}.
 *
 * @example
 * ```ts
 * import { createRouter, type RouterOptions } from '@gatehouse/router'
 * const options: RouterOptions = { decodeParams: true } // HTTP API behaviour
 * createRouter([{ method: 'GET', path: '/u/{name}', value: 1 }], options).find('GET', '/u/a%20b')?.params.name // 'a b'
 * ```
 */
export interface RouterOptions {
  /**
   * Percent-decode parameter values (`{name}` and `{name+}`). Default `false`: values are returned exactly as they
   * appear on the wire, as REST APIs pass them to Lambda (`pathParameters`). HTTP APIs decode them: pass `true`.
   * A malformed escape sequence leaves the value raw instead of throwing.
   */
  decodeParams?: boolean
  /**
   * HTTP API precedence: any route without a greedy variable that matches beats every greedy route ("full match"
   * before "greedy match" in the HTTP API guide), so `/{x}/b/d` wins over `/a/{proxy+}` for `/a/b/d`. Default
   * `false`: REST precedence, literal before parameter before greedy position by position (`/a/{proxy+}` wins).
   */
  greedyLast?: boolean
}

/**
 * A compiled route table.
 *
 * @example
 * ```ts
 * import { createRouter } from '@gatehouse/router'
 * const router = createRouter([
 *   { method: 'GET', path: '/pets/{id}', value: 'getPet' },
 *   { method: 'ANY', path: '/{proxy+}', value: 'proxy' },
 * ])
 * router.find('GET', '/pets/1')?.value // 'getPet'
 * router.find('DELETE', '/pets/1')?.params // { proxy: 'pets/1' }
 * router.allowedMethods('/pets/1') // ['ANY', 'GET']
 * ```
 */
export interface Router<T> {
  /**
   * The best route for `method` and the raw on-the-wire `path` (percent-encoded, no query string), or `null`.
   * Never throws.
   */
  find(method: string, path: string): RouteMatch<T> | null
  /**
   * Methods (sorted, `ANY` included as such) of every route whose template matches `path`, ignoring `$default`.
   * Empty when no resource matches: lets a caller tell "no such resource" from "method not allowed", and answer
   * CORS preflights. Not meant for the hot path.
   */
  allowedMethods(path: string): string[]
  /** The route definitions, in the order given. */
  readonly routes: readonly RouteDefinition<T>[]
}

interface Entry<T> {
  readonly route: RouteDefinition<T>
  /** Parameter names in path order; a greedy name, if any, is last. */
  readonly names: readonly string[]
  /** Precomputed frozen result for routes without parameters, so a static hit allocates nothing. */
  readonly shared: RouteMatch<T> | null
}

// A class keeps every node the same shape, so the lookup loop stays monomorphic.
class Node<T> {
  statics: Map<string, Node<T>> | null = null
  param: Node<T> | null = null
  paramName = ''
  greedy: Node<T> | null = null
  greedyName = ''
  methods: Map<string, Entry<T>> | null = null
  any: Entry<T> | null = null
}

const EMPTY_PARAMS: Readonly<Record<string, string>> = Object.freeze({})
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const SLASH = 47

function safeDecode(s: string): string {
  if (s.indexOf('%') === -1) return s
  try {
    return decodeURIComponent(s)
  } catch {
    // A malformed escape is the client's problem; keep the raw text rather than fail the lookup.
    return s
  }
}

function pick<T>(node: Node<T>, method: string): Entry<T> | null {
  const methods = node.methods
  if (methods !== null) {
    const e = methods.get(method)
    if (e !== undefined) return e
  }
  return node.any
}

/**
 * Compiles a route table once; `find` then only walks a segment tree.
 *
 * Precedence (API Gateway's): at each path position a literal segment beats `{param}`, which beats `{greedy+}`;
 * the walk backtracks, so the most specific template that matches both path and method wins; on the same
 * template an exact method beats `ANY`; `$default` catches what nothing else matches.
 *
 * @throws {RouterError} for an invalid method or template, a duplicate route, or conflicting parameter names.
 * @example
 * ```ts
 * import { createRouter } from '@gatehouse/router'
 * const router = createRouter([
 *   { method: 'GET', path: '/', value: 'root' },
 *   { method: 'GET', path: '/pets', value: 'list' },
 *   { method: 'GET', path: '/pets/{id}', value: 'get' },
 *   { method: 'ANY', path: '/files/{proxy+}', value: 'files' },
 *   { method: 'ANY', path: '$default', value: 'fallback' },
 * ])
 * router.find('GET', '/pets/42')?.params // { id: '42' }
 * router.find('PUT', '/files/a//b%2Bc')?.params // { proxy: 'a//b%2Bc' }
 * router.find('GET', '/files')?.value // 'fallback' (a greedy resource never matches its parent)
 * ```
 */
export function createRouter<T>(routes: readonly RouteDefinition<T>[], options: RouterOptions = {}): Router<T> {
  const decode = options.decodeParams === true
  const greedyLast = options.greedyLast === true
  const root = new Node<T>()
  // Full-path map of nodes reachable through literal segments only: a static route is the most specific match
  // there is, so when its method fits, one map lookup answers the request.
  const staticNodes = new Map<string, Node<T>>()
  let fallback: RouteMatch<T> | null = null
  let maxParams = 0

  for (const route of routes) {
    if (route === null || typeof route !== 'object') {
      throw new RouterError('INVALID_PATH', 'a route must be an object { method, path, value }')
    }
    if (route.path === '$default') {
      if (fallback !== null) throw new RouterError('DUPLICATE_ROUTE', 'more than one $default route', route)
      fallback = Object.freeze({ value: route.value, params: EMPTY_PARAMS, route })
      continue
    }
    if (typeof route.method !== 'string' || !TOKEN.test(route.method)) {
      throw new RouterError('INVALID_METHOD', `invalid method ${JSON.stringify(route.method)} for ${route.path}`, route)
    }
    const method = route.method.toUpperCase()
    const segments = parseTemplate(route.path, route.method)
    let node = root
    let literalOnly = true
    const names: string[] = []
    for (const seg of segments) {
      if (seg.kind === 'static') {
        node.statics ??= new Map()
        let child = node.statics.get(seg.value)
        if (child === undefined) node.statics.set(seg.value, (child = new Node()))
        node = child
      } else if (seg.kind === 'param') {
        literalOnly = false
        if (node.param === null) {
          node.param = new Node()
          node.paramName = seg.name
        } else if (node.paramName !== seg.name) {
          throw new RouterError(
            'CONFLICTING_PARAMETER',
            `${route.path}: {${seg.name}} conflicts with sibling {${node.paramName}} (one variable path part per parent)`,
            route,
          )
        }
        names.push(seg.name)
        node = node.param
      } else {
        literalOnly = false
        if (node.greedy === null) {
          node.greedy = new Node()
          node.greedyName = seg.name
        } else if (node.greedyName !== seg.name) {
          throw new RouterError(
            'CONFLICTING_PARAMETER',
            `${route.path}: {${seg.name}+} conflicts with sibling {${node.greedyName}+}`,
            route,
          )
        }
        names.push(seg.name)
        node = node.greedy
      }
    }
    const entry: Entry<T> = {
      route,
      names,
      shared: names.length === 0 ? Object.freeze({ value: route.value, params: EMPTY_PARAMS, route }) : null,
    }
    if (method === 'ANY') {
      if (node.any !== null) throw new RouterError('DUPLICATE_ROUTE', `duplicate route ANY ${route.path}`, route)
      node.any = entry
    } else {
      node.methods ??= new Map()
      if (node.methods.has(method)) {
        throw new RouterError('DUPLICATE_ROUTE', `duplicate route ${method} ${route.path}`, route)
      }
      node.methods.set(method, entry)
    }
    if (literalOnly) staticNodes.set(segments.length === 0 ? '/' : route.path, node)
    if (names.length > maxParams) maxParams = names.length
  }

  // Start and end offsets of each captured value along the branch being tried; reused by every lookup (find is
  // synchronous and calls no user code, so it cannot be re-entered).
  const caps = new Int32Array(2 * maxParams + 2)

  // Depth-first in precedence order (literal, then parameter, then greedy), returning the first route whose
  // template and method both match: that is the most specific one.
  function walk(
    node: Node<T>,
    path: string,
    pos: number,
    end: number,
    method: string,
    depth: number,
    greedyOk: boolean,
  ): Entry<T> | null {
    let segEnd = path.indexOf('/', pos)
    if (segEnd === -1 || segEnd > end) segEnd = end
    const nonEmpty = segEnd > pos
    if (nonEmpty) {
      const statics = node.statics
      if (statics !== null) {
        const child = statics.get(path.slice(pos, segEnd))
        if (child !== undefined) {
          const e = segEnd === end ? pick(child, method) : walk(child, path, segEnd + 1, end, method, depth, greedyOk)
          if (e !== null) return e
        }
      }
      const param = node.param
      if (param !== null) {
        const e = segEnd === end ? pick(param, method) : walk(param, path, segEnd + 1, end, method, depth + 1, greedyOk)
        if (e !== null) {
          caps[2 * depth] = pos
          caps[2 * depth + 1] = segEnd
          return e
        }
      }
    }
    const greedy = node.greedy
    if (greedy !== null && greedyOk) {
      // The greedy value is the raw remainder, inner `//` included; it is never empty (pos < end here).
      const e = pick(greedy, method)
      if (e !== null) {
        caps[2 * depth] = pos
        caps[2 * depth + 1] = end
        return e
      }
    }
    return null
  }

  function find(method: string, path: string): RouteMatch<T> | null {
    if (typeof path !== 'string' || typeof method !== 'string') return fallback
    const len = path.length
    let start = 0
    let end = len
    if (len === 0) {
      path = '/'
      end = 1
    } else if (path.charCodeAt(0) !== SLASH) {
      return fallback
    } else {
      // Extra leading slashes are dropped and trailing slashes ignored, as API Gateway does.
      while (start + 1 < len && path.charCodeAt(start + 1) === SLASH) start++
      while (end > start + 1 && path.charCodeAt(end - 1) === SLASH) end--
    }
    const node = staticNodes.get(start === 0 && end === len ? path : path.slice(start, end))
    if (node !== undefined) {
      const e = pick(node, method)
      if (e !== null) return e.shared
    }
    if (end - start === 1) return fallback
    let e = walk(root, path, start + 1, end, method, 0, !greedyLast)
    if (e === null) {
      if (!greedyLast) return fallback
      e = walk(root, path, start + 1, end, method, 0, true)
      if (e === null) return fallback
    }
    if (e.shared !== null) return e.shared
    const names = e.names
    const params: Record<string, string> = {}
    for (let i = 0; i < names.length; i++) {
      const value = path.slice(caps[2 * i]!, caps[2 * i + 1]!)
      params[names[i]!] = decode ? safeDecode(value) : value
    }
    return { value: e.route.value, params, route: e.route }
  }

  function collect(node: Node<T>, path: string, pos: number, end: number, out: Set<string>): void {
    if (pos >= end) {
      if (node.methods !== null) for (const m of node.methods.keys()) out.add(m)
      if (node.any !== null) out.add('ANY')
      return
    }
    let segEnd = path.indexOf('/', pos)
    if (segEnd === -1 || segEnd > end) segEnd = end
    if (segEnd > pos) {
      const child = node.statics?.get(path.slice(pos, segEnd))
      if (child !== undefined) collect(child, path, segEnd === end ? end : segEnd + 1, end, out)
      if (node.param !== null) collect(node.param, path, segEnd === end ? end : segEnd + 1, end, out)
    }
    if (node.greedy !== null) collect(node.greedy, path, end, end, out)
  }

  function allowedMethods(path: string): string[] {
    if (typeof path !== 'string') return []
    if (path === '') path = '/'
    if (path.charCodeAt(0) !== SLASH) return []
    let start = 0
    let end = path.length
    while (start + 1 < end && path.charCodeAt(start + 1) === SLASH) start++
    while (end > start + 1 && path.charCodeAt(end - 1) === SLASH) end--
    const out = new Set<string>()
    collect(root, path, start + 1, end, out)
    return [...out].sort()
  }

  return { find, allowedMethods, routes: Object.freeze([...routes]) }
}
