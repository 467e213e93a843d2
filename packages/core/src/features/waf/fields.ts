/**
 * `FieldToMatch`: the part of a request an AWS WAF statement inspects, read from the request as a byte string
 * (one character per byte), with the body cut at the web ACL's body inspection size limit.
 * https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-fields-list.html
 * https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-setting-body-inspection-limit.html
 */
import { GatewayConfigError } from '../../errors'
import { headerValues } from '../../http'
import { isObject } from '../../json'
import type { RequestState } from '../../state'
import { TRANSFORMS } from './transformations'

/** What a field holds for one request: its values (none when the component is missing) and whether the body was cut. */
export interface FieldValues {
  values: readonly string[]
  /** The body was larger than the inspection limit (only `Body` sets it). */
  oversize: boolean
}

export type OversizeHandling = 'CONTINUE' | 'MATCH' | 'NO_MATCH'

/** A compiled `FieldToMatch`. */
export interface Field {
  read(state: RequestState): FieldValues
  /** `Body`'s `OversizeHandling` (`CONTINUE` for other fields). */
  oversize: OversizeHandling
  body: boolean
}

const NONE: readonly string[] = []

/** A string as bytes: characters up to 0xFF are taken as bytes already (Node reads headers as latin1); otherwise UTF-8. */
export function toBytes(s: string): string {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0xff) return Buffer.from(s, 'utf8').toString('latin1')
  }
  return s
}

/** The first `limit` bytes of the body and its size, computed once per request (a gateway has one limit). */
function bodyBytes(state: RequestState, limit: number): { text: string; size: number } {
  const cached = state.wafBody
  if (cached) return cached
  const body = state.request.body
  let out: { text: string; size: number }
  if (body === undefined) out = { text: '', size: 0 }
  else if (typeof body === 'string') {
    // Every character is at least one byte: the first `limit` characters hold the first `limit` bytes.
    const head = Buffer.from(body.slice(0, limit), 'utf8')
    out = { text: head.subarray(0, limit).toString('latin1'), size: Buffer.byteLength(body, 'utf8') }
  } else {
    out = { text: Buffer.from(body.buffer, body.byteOffset, Math.min(body.byteLength, limit)).toString('latin1'), size: body.byteLength }
  }
  state.wafBody = out
  return out
}

function queryArgument(query: string, name: string): string[] {
  const out: string[] = []
  if (query === '') return out
  for (const part of query.split('&')) {
    const eq = part.indexOf('=')
    const rawName = eq === -1 ? part : part.slice(0, eq)
    if (rawName.length < name.length) continue
    if (TRANSFORMS.LOWERCASE!(TRANSFORMS.URL_DECODE!(toBytes(rawName))) === name) out.push(toBytes(eq === -1 ? '' : part.slice(eq + 1)))
  }
  return out
}

const one = (v: string): FieldValues => ({ values: [v], oversize: false })

function nameOf(v: unknown, at: string, max: number): string {
  if (!isObject(v) || typeof v.Name !== 'string' || v.Name.length === 0 || v.Name.length > max)
    throw new GatewayConfigError('INVALID_OPTION', `Name must be a string of 1 to ${max} characters`, `${at}/Name`)
  return TRANSFORMS.LOWERCASE!(toBytes(v.Name))
}

function emptyObject(v: unknown, at: string): void {
  if (!isObject(v) || Object.keys(v).length !== 0) throw new GatewayConfigError('INVALID_OPTION', 'must be an empty object {}', at)
}

/**
 * Compiles a `FieldToMatch` (at `at` in the options) for a web ACL with body inspection limit `bodyLimit`.
 *
 * @example
 * ```ts
 * const field = compileField({ SingleHeader: { Name: 'User-Agent' } }, '/waf/rules/0/Statement/ByteMatchStatement/FieldToMatch', 16384)
 * field.read(state).values // ['curl/8.4.0']
 * ```
 */
export function compileField(spec: unknown, at: string, bodyLimit: number): Field {
  if (!isObject(spec) || Object.keys(spec).length !== 1)
    throw new GatewayConfigError('INVALID_OPTION', 'FieldToMatch must name exactly one request component', at)
  const kind = Object.keys(spec)[0]!
  const value = spec[kind]
  const where = `${at}/${kind}`
  const plain = (read: Field['read']): Field => ({ read, oversize: 'CONTINUE', body: false })
  switch (kind) {
    case 'UriPath':
      emptyObject(value, where)
      return plain((s) => one(toBytes(s.request.path)))
    case 'QueryString':
      emptyObject(value, where)
      return plain((s) => one(toBytes(s.request.query ?? '')))
    case 'Method':
      emptyObject(value, where)
      return plain((s) => one(toBytes(s.request.method)))
    case 'SingleHeader': {
      const name = nameOf(value, where, 64)
      return plain((s) => {
        const values = headerValues(s.request.headers, name)
        return { values: values.length === 0 ? NONE : values.map(toBytes), oversize: false }
      })
    }
    case 'SingleQueryArgument': {
      const name = nameOf(value, where, 30)
      return plain((s) => ({ values: queryArgument(s.request.query ?? '', name), oversize: false }))
    }
    case 'Body': {
      if (!isObject(value)) throw new GatewayConfigError('INVALID_OPTION', 'Body must be an object', where)
      for (const key of Object.keys(value))
        if (key !== 'OversizeHandling') throw new GatewayConfigError('INVALID_OPTION', `unknown Body setting "${key}"`, `${where}/${key}`)
      const handling = value.OversizeHandling ?? 'CONTINUE'
      if (handling !== 'CONTINUE' && handling !== 'MATCH' && handling !== 'NO_MATCH')
        throw new GatewayConfigError('INVALID_OPTION', 'OversizeHandling must be CONTINUE, MATCH or NO_MATCH', `${where}/OversizeHandling`)
      return {
        read: (s) => {
          const { text, size } = bodyBytes(s, bodyLimit)
          return { values: [text], oversize: size > bodyLimit }
        },
        oversize: handling,
        body: true,
      }
    }
    default:
      throw new GatewayConfigError(
        'INVALID_OPTION',
        `unsupported FieldToMatch "${kind}" (supported: UriPath, QueryString, Method, SingleHeader, SingleQueryArgument, Body)`,
        where,
      )
  }
}
