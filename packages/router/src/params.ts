/**
 * Builds the `params` object of a match from the captured offsets. Generated code gives each route's params
 * object a fixed literal shape (one hidden class, no dictionary transitions), which the benchmark shows matters
 * against find-my-way; where code generation is unavailable (CSP, some edge runtimes) a closure does the same job.
 */
export type ParamsFactory = (path: string, caps: Int32Array, decode: (s: string) => string) => Record<string, string>

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

/** A factory for a route with these parameter names (in path order). */
export function paramsFactory(names: readonly string[], decode: boolean): ParamsFactory {
  if (canGenerate()) {
    // Keys go through JSON.stringify, so a name can never break out of its string literal.
    const props = names.map((name, i) => {
      const slice = `p.slice(c[${2 * i}], c[${2 * i + 1}])`
      // A literal `"__proto__": v` would set the prototype; a computed key defines an own property instead.
      const key = name === '__proto__' ? `[${JSON.stringify(name)}]` : JSON.stringify(name)
      return `${key}: ${decode ? `d(${slice})` : slice}`
    })
    return new Function('p', 'c', 'd', `return { ${props.join(', ')} }`) as ParamsFactory
  }
  return closureFactory(names, decode)
}

/** The code-generation-free factory (also what tests compare the generated one against). */
export function closureFactory(names: readonly string[], decode: boolean): ParamsFactory {
  return (path, caps, d) => {
    const params: Record<string, string> = {}
    for (let i = 0; i < names.length; i++) {
      const value = path.slice(caps[2 * i]!, caps[2 * i + 1]!)
      const name = names[i]!
      const v = decode ? d(value) : value
      // Plain assignment to `__proto__` would hit Object.prototype's setter instead of making a key.
      if (name === '__proto__') Object.defineProperty(params, name, { value: v, enumerable: true, writable: true, configurable: true })
      else params[name] = v
    }
    return params
  }
}
