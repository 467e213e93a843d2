/**
 * `$input`: the payload (`body`, `json(path)`, `path(path)`) and the request parameters (`params()`, `params(name)`)
 * as API Gateway's mapping templates read them. The payload is parsed only when the template reads it.
 */
import { VtlError } from '../errors'
import { evaluatePath } from '../jsonpath/evaluate'
import { Host } from '../values/model'
import { toJson } from '../values/print'
import { JsonSyntaxError, parseJson } from './json'

/**
 * Request parameters as API Gateway hands them to `$input.params()`: `$input.params(name)` looks in path, query
 * string, then headers (header names case-insensitively).
 *
 * @example
 * ```ts
 * const params: MappingTemplateParams = { path: { id: '7' }, querystring: { sort: 'asc' }, header: { Accept: 'application/json' } }
 * renderMappingTemplate('$input.params("id") $input.params("sort") $input.params("accept")', { params })
 * // '7 asc application/json'
 * ```
 */
export interface MappingTemplateParams {
  path?: Record<string, string>
  querystring?: Record<string, string>
  header?: Record<string, string>
}

const NOT_PARSED = Symbol('not parsed')

function firstNonSpace(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return i
  }
  return -1
}

/** `$input`. The payload is parsed only when the template reads it through `path` or `json`. */
export class InputHost extends Host {
  private doc: unknown = NOT_PARSED
  constructor(
    private readonly raw: string,
    private readonly params: MappingTemplateParams,
  ) {
    super()
  }

  private parsed(): unknown {
    if (this.doc !== NOT_PARSED) return this.doc
    const raw = this.raw
    const first = firstNonSpace(raw)
    if (first === -1) this.doc = new Map()
    else if (raw[first] === '{' || raw[first] === '[') {
      try {
        this.doc = parseJson(raw)
      } catch (e) {
        if (e instanceof JsonSyntaxError || e instanceof RangeError) throw new VtlError('VTL_INVALID_PAYLOAD', 'Could not process payload')
        throw e
      }
    } else {
      try {
        this.doc = parseJson(raw.trim())
      } catch {
        // A payload that is not JSON at all reads as one string value.
        this.doc = raw
      }
    }
    return this.doc
  }

  get body(): string {
    return firstNonSpace(this.raw) === -1 ? '{}' : this.raw
  }

  prop(name: string): unknown {
    if (name === 'body') return this.body
    if (name === 'params') return this.allParams()
    return undefined
  }

  private allParams(): Map<string, Record<string, string>> {
    return new Map([
      ['path', this.params.path ?? {}],
      ['querystring', this.params.querystring ?? {}],
      ['header', this.params.header ?? {}],
    ])
  }

  private param(name: string): string {
    const { path, querystring, header } = this.params
    const own = Object.prototype.hasOwnProperty
    if (path && own.call(path, name)) return path[name]!
    if (querystring && own.call(querystring, name)) return querystring[name]!
    if (header) {
      if (own.call(header, name)) return header[name]!
      // Header names are case-insensitive on the wire.
      const lower = name.toLowerCase()
      for (const k in header) if (own.call(header, k) && k.toLowerCase() === lower) return header[k]!
    }
    return ''
  }

  call(name: string, args: unknown[]): unknown {
    switch (name) {
      case 'json': {
        const p = typeof args[0] === 'string' ? args[0] : '$'
        const v = evaluatePath(p, this.parsed())
        return v === undefined ? '' : toJson(v)
      }
      case 'path': {
        const p = typeof args[0] === 'string' ? args[0] : '$'
        return evaluatePath(p, this.parsed())
      }
      case 'params':
        if (args.length === 0) return this.allParams()
        return typeof args[0] === 'string' ? this.param(args[0]) : undefined
      case 'getBody':
        return this.body
      default:
        return undefined
    }
  }

  toString(): string {
    return 'input'
  }
}
