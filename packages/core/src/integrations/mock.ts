import { failure } from '../gateway-responses'
import { bodyBytes } from '../http'
import { compileRequestMapping } from './integration-request'
import { compileResponseMapping } from './integration-response'
import type { Integrate, IntegrationBuild } from './types'

/** A statusCode value as an integer: a JSON number, or a string of digits; NaN otherwise. */
function statusOf(raw: unknown): number {
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN
  return Number.isInteger(n) ? n : NaN
}

/**
 * `statusCode` read from a payload that is not strict JSON, as API Gateway reads it: keys may be unquoted or in single
 * quotes (`{statusCode: 200}`, which the AWS CDK writes for CORS preflights). One pass over the top-level object;
 * nested values are skipped by counting brackets outside strings. NaN when there is no integer `statusCode`.
 */
function lenientStatus(text: string): number {
  const s = text.trim()
  if (s[0] !== '{' || s[s.length - 1] !== '}') return NaN
  let i = 1
  const end = s.length - 1
  const skipSpace = () => {
    while (i < end && /\s/.test(s[i]!)) i++
  }
  /** A quoted string from `i` (its quote included), escapes honoured; `i` ends after the closing quote. */
  const quoted = (): string | undefined => {
    const q = s[i]!
    let out = ''
    for (i++; i < end; i++) {
      const c = s[i]!
      if (c === '\\') out += s[++i] ?? ''
      else if (c === q) {
        i++
        return out
      } else out += c
    }
    return undefined
  }
  let status = NaN
  while (i < end) {
    skipSpace()
    if (i >= end) break
    const c = s[i]!
    let key: string | undefined
    if (c === '"' || c === "'") key = quoted()
    else {
      const m = /^[A-Za-z_$][\w$]*/.exec(s.slice(i, i + 64))
      if (m) {
        key = m[0]
        i += key.length
      }
    }
    skipSpace()
    if (key === undefined || s[i] !== ':') return NaN
    i++
    skipSpace()
    const from = i
    let depth = 0
    while (i < end) {
      const v = s[i]!
      if (v === '"' || v === "'") {
        if (quoted() === undefined) return NaN
        continue
      }
      if (v === '{' || v === '[') depth++
      else if (v === '}' || v === ']') depth--
      else if (v === ',' && depth === 0) break
      if (depth < 0) return NaN
      i++
    }
    if (depth !== 0) return NaN
    if (key === 'statusCode') {
      const value = s.slice(from, i).trim()
      status = /^\d+$/.test(value) ? Number(value) : statusOf(value.length > 1 && /^["']/.test(value) ? value.slice(1, -1) : undefined)
    }
    i++
  }
  return status
}

/** The integer `statusCode` of a MOCK payload, or null ("Unable to parse statusCode"). */
function mockStatus(payload: string | Uint8Array): number | null {
  const text = typeof payload === 'string' ? payload : bodyBytes(payload).toString('utf8')
  let n: number
  try {
    const parsed: unknown = JSON.parse(text)
    n =
      parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
        ? statusOf((parsed as { statusCode?: unknown }).statusCode)
        : NaN
  } catch {
    n = lenientStatus(text)
  }
  return Number.isNaN(n) ? null : n
}

/**
 * Compile a MOCK integration.
 *
 * @example
 * ```ts
 * const run = compileMock({ type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' }, responses: { default: { statusCode: '200' } } }, api, '/x')
 * ```
 */
export function compileMock(build: IntegrationBuild): Integrate {
  const { integration, api, at } = build
  const mapRequest = compileRequestMapping(integration, api, at)
  const mapResponse = compileResponseMapping(integration, api, at)
  return async (state) => {
    const req = mapRequest(state)
    if ('type' in req) return req
    const status = mockStatus(req.body)
    // API Gateway: "Unable to parse statusCode. It should be an integer that is defined in the request template."
    if (status === null) return failure('API_CONFIGURATION_ERROR')
    return mapResponse(state, { statusCode: status, headers: {}, body: '', selector: String(status) }, req.context)
  }
}
