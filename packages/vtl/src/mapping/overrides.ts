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
  /** What was set, and the nested maps (`header`, `path`, `querystring`), present before any `#set` as on AWS. */
  readonly values: Record<string, unknown> = {}

  /**
   * `from`: what an earlier template of the same request set (API Gateway carries `$context.requestOverride` and
   * `$context.responseOverride` from the request template to the response template); seeded names are final too.
   */
  constructor(
    readonly name: string,
    private readonly nested: readonly string[] = [],
    from?: object,
  ) {
    super()
    const seed = from as Record<string, unknown> | undefined
    for (const n of nested) {
      const v = seed?.[n]
      this.values[n] = new OverrideMap(`${name}.${n}`, [], v !== null && typeof v === 'object' ? v : undefined)
    }
    if (seed === undefined) return
    for (const k in seed) if (ownHas(seed, k) && !nested.includes(k)) ownSet(this.values, k, seed[k])
  }

  prop(key: string): unknown {
    return ownGet(this.values, key)
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

  /** Printed as API Gateway prints a map. */
  toString(): string {
    return javaString(this.plain())
  }

  /** The overrides as plain data. */
  plain(): Record<string, unknown> {
    const out: Record<string, unknown> = {}
    for (const k in this.values) {
      if (!ownHas(this.values, k)) continue
      const v = this.values[k]
      ownSet(out, k, v instanceof OverrideMap ? v.plain() : v)
    }
    return out
  }
}
