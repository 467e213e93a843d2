/**
 * Builds the result of a hit on a route with parameters from the captured offsets. Generated code gives each
 * route's `params` object a fixed literal shape (one hidden class, no dictionary transitions) and lets the engine
 * allocate the result and its params together, which the benchmark shows matters against find-my-way; where code
 * generation is unavailable (CSP, some edge runtimes) a closure does the same job.
 */
export interface Match<T> {
  readonly value: T
  readonly params: Readonly<Record<string, string>>
  readonly route: { method: string; path: string; value: T }
}

export type MatchFactory<T> = (path: string, caps: Int32Array, decode: (s: string) => string) => Match<T>

let codegen: boolean | undefined

function canGenerate(): boolean {
  if (codegen === undefined) {
    try {
      codegen = new Function('return 1')() === 1
    } catch {
      codegen = false
    }
  }
  return codegen
}

/** A factory for hits on `route`, whose parameter names are `names` (in path order). */
export function matchFactory<T>(route: Match<T>['route'], names: readonly string[], decode: boolean): MatchFactory<T> {
  if (canGenerate()) {
    // Keys go through JSON.stringify, so a name can never break out of its string literal; value and route come
    // in as arguments, never as source text.
    const props = names.map((name, i) => {
      const slice = `p.slice(c[${2 * i}], c[${2 * i + 1}])`
      // A literal `"__proto__": v` would set the prototype; a computed key defines an own property instead.
      const key = name === '__proto__' ? `[${JSON.stringify(name)}]` : JSON.stringify(name)
      return `${key}: ${decode ? `d(${slice})` : slice}`
    })
    const body = `return function (p, c, d) { return { value: v, params: { ${props.join(', ')} }, route: r } }`
    return new Function('v', 'r', body)(route.value, route) as MatchFactory<T>
  }
  return closureFactory(route, names, decode)
}

/** The code-generation-free factory (also what tests compare the generated one against). */
export function closureFactory<T>(route: Match<T>['route'], names: readonly string[], decode: boolean): MatchFactory<T> {
  const value = route.value
  return (path, caps, d) => {
    const params: Record<string, string> = {}
    for (let i = 0; i < names.length; i++) {
      const raw = path.slice(caps[2 * i]!, caps[2 * i + 1]!)
      const name = names[i]!
      const v = decode ? d(raw) : raw
      // Plain assignment to `__proto__` would hit Object.prototype's setter instead of making a key.
      if (name === '__proto__') Object.defineProperty(params, name, { value: v, enumerable: true, writable: true, configurable: true })
      else params[name] = v
    }
    return { value, params, route }
  }
}
