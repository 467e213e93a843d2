import { RouterError } from './errors'
import { parseTemplate, type TemplateSegment } from './template'
import { LookupNode, lookup, type Entry } from './tree'
import { matchFactory } from './params'

/**
 * One route: an HTTP method (or `ANY`) and an API Gateway resource path template, carrying a value of your choice
 * (typically the compiled route). The path `$default` declares HTTP APIs' catch-all route (method ignored).
 *
 * @example
 * ```ts
 * import { createRouter, type RouteDefinition } from '@gatehousejs/router'
 * const routes: RouteDefinition<string>[] = [
 *   { method: 'GET', path: '/pets', value: 'listPets' },
 *   { method: 'GET', path: '/pets/{petId}', value: 'getPet' },
 *   { method: 'ANY', path: '/{proxy+}', value: 'proxy' },
 * ]
 * createRouter(routes).find('GET', '/pets/42') // { value: 'getPet', params: { petId: '42' }, route: routes[1] }
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
 * import { createRouter, type RouteMatch } from '@gatehousejs/router'
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
 * import { createRouter, type RouterOptions } from '@gatehousejs/router'
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
  /**
   * REST APIs allow one variable path part per parent: `{id}` beside `{proxy+}` is refused ("A sibling ({id}) of
   * this resource already has a variable path part -- only one is allowed"). Pass `true` to refuse it as well
   * (`CONFLICTING_PARAMETER`). Default `false`: both are accepted and `{id}` is tried first.
   */
  rejectVariableSiblings?: boolean
}

/**
 * A compiled route table.
 *
 * @example
 * ```ts
 * import { createRouter } from '@gatehousejs/router'
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

interface Compiled<T> {
  route: RouteDefinition<T>
  method: string
  segments: TemplateSegment[]
  entry: Entry<T>
}

function insert<T>(root: LookupNode<T>, c: Compiled<T>): void {
  let node = root
  for (const seg of c.segments) {
    if (seg.kind === 'static') node = node.staticChild(seg.value)
    else if (seg.kind === 'param') node = node.param ??= new LookupNode()
    else node = node.greedy ??= new LookupNode()
  }
  const isAny = c.method === 'ANY'
  // One tree holds a method's routes and the ANY routes: on the same resource the exact method wins.
  if (node.entry === null || (node.entryIsAny && !isAny)) {
    node.entry = c.entry
    node.entryIsAny = isAny
  }
}

function buildTree<T>(compiled: readonly Compiled<T>[], keep: (method: string) => boolean): LookupNode<T> {
  const root = new LookupNode<T>()
  for (const c of compiled) if (keep(c.method)) insert(root, c)
  root.seal()
  return root
}

/**
 * Compiles a route table once; `find` then only walks a segment tree.
 *
 * Precedence (API Gateway's): at each path position a literal segment beats `{param}`, which beats `{greedy+}`;
 * the walk backtracks, so the most specific template that matches both path and method wins; on the same
 * template an exact method beats `ANY`; `$default` catches what nothing else matches. With
 * `options.greedyLast` (HTTP APIs) any non-greedy match beats every greedy one. Parameter values are raw
 * (percent-encoded, REST API behaviour) unless `options.decodeParams` (HTTP APIs).
 *
 * @throws {RouterError} for an invalid method or template, a duplicate route, or conflicting parameter names.
 * @example
 * ```ts
 * import { createRouter } from '@gatehousejs/router'
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
  const oneVariable = options.rejectVariableSiblings === true
  let fallback: RouteMatch<T> | null = null
  let maxParams = 0
  const compiled: Compiled<T>[] = []
  // Validation state: parameter names by parent position (`/a/{}`), and the route keys seen.
  const paramNames = new Map<string, string>()
  const greedyNames = new Map<string, string>()
  const seen = new Set<string>()

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
    let shape = ''
    const names: string[] = []
    for (const seg of segments) {
      if (seg.kind === 'static') {
        shape += `/${seg.value}`
        continue
      }
      const table = seg.kind === 'param' ? paramNames : greedyNames
      const other = table.get(shape)
      if (other === undefined) table.set(shape, seg.name)
      else if (other !== seg.name) {
        const [mine, theirs] = seg.kind === 'param' ? [`{${seg.name}}`, `{${other}}`] : [`{${seg.name}+}`, `{${other}+}`]
        throw new RouterError(
          'CONFLICTING_PARAMETER',
          `${route.path}: ${mine} conflicts with sibling ${theirs} (one name per variable path part)`,
          route,
        )
      }
      if (oneVariable) {
        const sibling = (seg.kind === 'param' ? greedyNames : paramNames).get(shape)
        if (sibling !== undefined) {
          const theirs = seg.kind === 'param' ? `{${sibling}+}` : `{${sibling}}`
          throw new RouterError(
            'CONFLICTING_PARAMETER',
            `${route.path}: a sibling (${theirs}) of this resource already has a variable path part -- only one is allowed`,
            route,
          )
        }
      }
      // Braces cannot occur in a literal segment, so these markers never collide with one.
      shape += seg.kind === 'param' ? '/{}' : '/{+}'
      names.push(seg.name)
    }
    const key = `${method} ${shape || '/'}`
    if (seen.has(key)) throw new RouterError('DUPLICATE_ROUTE', `duplicate route ${method} ${route.path}`, route)
    seen.add(key)
    const entry: Entry<T> = {
      value: route.value,
      route,
      names,
      makeMatch: names.length === 0 ? null : matchFactory(route, names, decode),
      shared: names.length === 0 ? Object.freeze({ value: route.value, params: EMPTY_PARAMS, route }) : null,
    }
    compiled.push({ route, method, segments, entry })
    if (names.length > maxParams) maxParams = names.length
  }

  const methods = new Set(compiled.map((c) => c.method).filter((m) => m !== 'ANY'))
  const trees = new Map<string, LookupNode<T>>()
  for (const m of methods)
    trees.set(
      m,
      buildTree(compiled, (x) => x === m || x === 'ANY'),
    )
  // Methods no route names explicitly can still reach ANY routes.
  const anyTree = buildTree(compiled, (x) => x === 'ANY')
  // GET dominates traffic: a field read and a pointer comparison of interned strings beat a Map lookup.
  const getTree = trees.get('GET') ?? anyTree
  const postTree = trees.get('POST') ?? anyTree

  // Start and end offsets of each captured value along the branch being tried; reused by every lookup (find is
  // synchronous and calls no user code, so it cannot be re-entered).
  const caps = new Int32Array(2 * maxParams + 2)

  function find(method: string, path: string): RouteMatch<T> | null {
    const root = method === 'GET' ? getTree : method === 'POST' ? postTree : (trees.get(method) ?? anyTree)
    if (typeof path !== 'string') return fallback
    const len = path.length
    let start = 0
    let end = len
    if (len === 0 || path.charCodeAt(0) !== SLASH) {
      if (len !== 0) return fallback
      path = '/'
      end = 1
    } else {
      // Extra leading slashes are dropped and trailing slashes ignored, as API Gateway does.
      while (start + 1 < len && path.charCodeAt(start + 1) === SLASH) start++
      while (end > start + 1 && path.charCodeAt(end - 1) === SLASH) end--
    }
    let e: Entry<T> | null
    if (end - start === 1) {
      e = root.entry
    } else {
      e = lookup(root, path, start + 1, end, caps, !greedyLast)
      if (e === null && greedyLast) e = lookup(root, path, start + 1, end, caps, true)
    }
    if (e === null) return fallback
    if (e.shared !== null) return e.shared
    return e.makeMatch!(path, caps, safeDecode)
  }

  // Trees holding one method's routes only (ANY included as its own method), built on first use.
  let pureTrees: Map<string, LookupNode<T>> | null = null

  function allowedMethods(path: string): string[] {
    if (typeof path !== 'string') return []
    if (path === '') path = '/'
    if (path.charCodeAt(0) !== SLASH) return []
    let start = 0
    let end = path.length
    while (start + 1 < end && path.charCodeAt(start + 1) === SLASH) start++
    while (end > start + 1 && path.charCodeAt(end - 1) === SLASH) end--
    if (pureTrees === null) {
      pureTrees = new Map()
      for (const m of [...methods, ...(compiled.some((c) => c.method === 'ANY') ? ['ANY'] : [])]) {
        pureTrees.set(
          m,
          buildTree(compiled, (x) => x === m),
        )
      }
    }
    const scratch = new Int32Array(2 * maxParams + 2)
    const out: string[] = []
    for (const [m, root] of pureTrees) {
      const e = end - start === 1 ? root.entry : lookup(root, path, start + 1, end, scratch, true)
      if (e !== null) out.push(m)
    }
    return out.sort()
  }

  return { find, allowedMethods, routes: Object.freeze([...routes]) }
}
