/**
 * Error pointers into the user's document. The importer turns an OpenAPI document into the native definition;
 * checks that run later (integrations, authorizers, models, routes) name pointers into that native model
 * (`/resources/~1calc/GET/integration/uri`). While it imports, the importer records, for each native prefix it
 * creates, the document pointer it came from; `createGateway` maps every later error and warning through the
 * table, so the operator reads `/paths/~1calc/get/x-amazon-apigateway-integration/uri`.
 */
import { GatewayConfigError, pointerToken } from '../errors'
import { stateKey, type ImportContext } from '../features/types'

/** How a native pointer below a recorded prefix maps: the rest appended (same names), or dropped (renamed). */
export type PointerMode = 'append' | 'exact'

/**
 * Native pointer prefixes → the document pointers they were imported from.
 *
 * @example
 * ```ts
 * const table = new PointerTable()
 * table.record('/resources/~1calc/GET/integration', '/paths/~1calc/get/x-amazon-apigateway-integration')
 * table.map('/resources/~1calc/GET/integration/uri') // '/paths/~1calc/get/x-amazon-apigateway-integration/uri'
 * ```
 */
export class PointerTable {
  private readonly entries = new Map<string, { at: string; mode: PointerMode }>()
  private readonly operations = new Map<string, string>()

  /** Record that `native` (and, in `append` mode, everything below it) came from `documentAt`. */
  record(native: string, documentAt: string, mode: PointerMode = 'append'): void {
    this.entries.set(native, { at: documentAt, mode })
  }

  /** Record that the native method `native` was imported from the operation at `documentAt`. */
  recordOperation(native: string, documentAt: string): void {
    this.record(native, documentAt)
    this.operations.set(documentAt, native)
  }

  /** The native method pointer of the operation at `documentAt` (for a feature's importer to record below it). */
  methodOf(documentAt: string): string | undefined {
    return this.operations.get(documentAt)
  }

  /** The document pointer of a native pointer: its longest recorded prefix, the rest appended; else unchanged. */
  map(native: string): string {
    if (this.entries.size === 0 || !native.startsWith('/')) return native
    let prefix = native
    for (;;) {
      const entry = this.entries.get(prefix)
      if (entry) return entry.mode === 'append' ? entry.at + native.slice(prefix.length) : entry.at
      const cut = prefix.lastIndexOf('/')
      if (cut <= 0) return native
      prefix = prefix.slice(0, cut)
    }
  }
}

const POINTERS = stateKey<PointerTable>('import-pointers')

/**
 * The pointer table of the document being imported (a feature's importer records what it creates).
 *
 * @example
 * ```ts
 * pointerTableOf(ctx).record('/models/Pet', '/components/schemas/Pet')
 * ```
 */
export function pointerTableOf(ctx: Pick<ImportContext, 'state'>): PointerTable {
  return ctx.state.get(POINTERS, () => new PointerTable())
}

/** A native pointer built from tokens (the same escaping as `pointer()`). */
export function nativePointer(...tokens: (string | number)[]): string {
  return tokens.map((t) => `/${pointerToken(t)}`).join('')
}

/**
 * The same error, its pointer (and the pointer quoted in its message) mapped into the user's document.
 *
 * @example
 * ```ts
 * const e = mapConfigError(new GatewayConfigError('UNKNOWN_FUNCTION', 'no function', '/resources/~1a/GET/integration/uri'), table)
 * e.pointer // '/paths/~1a/get/x-amazon-apigateway-integration/uri'
 * ```
 */
export function mapConfigError(e: GatewayConfigError, table: PointerTable): GatewayConfigError {
  if (e.pointer === undefined) return e
  const mapped = table.map(e.pointer)
  if (mapped === e.pointer) return e
  const prefix = `${e.pointer || '/'}: `
  const body = e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message
  const text = body.split(`"${e.pointer}"`).join(`"${mapped}"`)
  const out = new GatewayConfigError(e.code, text, mapped, e.cause === undefined ? undefined : { cause: e.cause })
  if (e.stack) out.stack = e.stack.replace(e.message, out.message)
  return out
}
