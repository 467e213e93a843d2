/**
 * `$context.responseOverride` and `$context.requestOverride`. AWS documents that overrides are final: each parameter
 * may be overridden once, and a second override makes API Gateway answer 5XX. These maps read like any map and
 * refuse a second `#set` (or `put`) of the same name with `VTL_RUNTIME` (status 500).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-override-request-response-parameters.html
 */
import { VtlError } from '../errors'
import { callMethod } from '../methods/dispatch'
import { Host, ownGet, ownHas, ownSet } from '../values/model'
import { javaString } from '../values/print'

/** One override map (`responseOverride`, `responseOverride.header`, `requestOverride.querystring`, …). */
export class OverrideMap extends Host {
  /** What was set; nested maps appear (as `OverrideMap`s) once the template reads them. */
  readonly values: Record<string, unknown> = {}

  constructor(
    readonly name: string,
    private readonly nested: readonly string[] = [],
  ) {
    super()
  }

  prop(key: string): unknown {
    const v = ownGet(this.values, key)
    if (v !== undefined || !this.nested.includes(key)) return v
    const map = new OverrideMap(`${this.name}.${key}`)
    this.values[key] = map
    return map
  }

  /** `#set($context.responseOverride.status = …)` and the like: once per name. */
  set(key: string, value: unknown): void {
    if (ownHas(this.values, key) || this.nested.includes(key)) {
      throw new VtlError(
        'VTL_RUNTIME',
        `$context.${this.name}.${key} is overridden more than once (API Gateway allows one override per parameter)`,
      )
    }
    ownSet(this.values, key, value)
  }

  call(method: string, args: unknown[]): unknown {
    if (method === 'put' && args.length === 2) {
      this.set(javaString(args[0]), args[1])
      return undefined
    }
    return callMethod(this.values, method, args)
  }

  toString(): string {
    return javaString(this.values)
  }

  /** The overrides as plain data, with every nested map present. */
  plain(): Record<string, unknown> {
    const out: Record<string, unknown> = {}
    for (const n of this.nested) {
      const v = this.values[n]
      out[n] = v instanceof OverrideMap ? v.plain() : {}
    }
    for (const k in this.values) {
      if (!ownHas(this.values, k) || this.nested.includes(k)) continue
      ownSet(out, k, this.values[k])
    }
    return out
  }
}
