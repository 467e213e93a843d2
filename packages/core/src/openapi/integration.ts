/**
 * Import of `x-amazon-apigateway-integration` into the native integration, as API Gateway's importer reads it:
 * values it accepts as numbers where a string is meant (`payloadFormatVersion: 1.0`, `statusCode: 200`) and
 * numeric strings where a number is meant (`timeoutInMillis: "29000"`) are converted here.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-integration.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-open-api.html
 */
import type { ApiType, IntegrationDefinition, IntegrationResponseDefinition, IntegrationType } from '../definition'
import { GatewayConfigError, pointer, toText, type GatewayWarning } from '../errors'
import { isObject } from '../json'

const INTEGRATION_TYPES: readonly IntegrationType[] = ['AWS_PROXY', 'HTTP_PROXY', 'MOCK', 'AWS', 'HTTP', 'APP']

function invalid(message: string, at: string): never {
  throw new GatewayConfigError('INVALID_DEFINITION', message, at)
}

/**
 * A version written as a number (`1.0` in JSON or YAML arrives as `1`) or a string, as its string (`"1.0"`).
 *
 * @example
 * ```ts
 * versionString(1) // '1.0'
 * versionString('2.0') // '2.0'
 * ```
 */
export function versionString(v: unknown): string {
  if (typeof v === 'number' && Number.isFinite(v)) return Number.isInteger(v) ? `${v}.0` : String(v)
  return toText(v)
}

/**
 * A number written as a number or as a numeric string (`"300"`); anything else is `NaN`.
 *
 * @example
 * ```ts
 * numeric('300') // 300
 * numeric('') // NaN
 * ```
 */
export function numeric(v: unknown): number {
  if (typeof v === 'number') return v
  if (typeof v === 'string' && /^\s*[+-]?\d+(\.\d+)?\s*$/.test(v)) return Number(v)
  return Number.NaN
}

/**
 * An HTTP status code written as a number or a string, as its string (`200` → `"200"`), or throws naming `at`.
 *
 * @example
 * ```ts
 * statusCodeString(200, '/x') // '200'
 * ```
 */
export function statusCodeString(v: unknown, at: string): string {
  const s = typeof v === 'number' ? String(v) : toText(v)
  if (!/^[1-5]\d\d$/.test(s)) invalid('statusCode must be a 3-digit HTTP status', at)
  return s
}

/** A map of strings (`requestParameters`, templates); throws naming the first value that is not one. */
export function stringMap(value: unknown, at: string): Record<string, string> | undefined {
  if (value === undefined) return undefined
  if (!isObject(value)) invalid('must be an object of strings', at)
  for (const [k, v] of Object.entries(value)) if (typeof v !== 'string') invalid('must be a string', `${at}${pointer(k)}`)
  return value as Record<string, string>
}

function contentHandling(v: unknown, at: string): 'CONVERT_TO_TEXT' | 'CONVERT_TO_BINARY' {
  const s = toText(v).toUpperCase()
  if (s !== 'CONVERT_TO_TEXT' && s !== 'CONVERT_TO_BINARY') invalid(`unknown contentHandling "${toText(v)}"`, at)
  return s
}

function importResponses(raw: unknown, at: string, warn: (w: GatewayWarning) => void): Record<string, IntegrationResponseDefinition> {
  if (!isObject(raw)) invalid('responses must be an object', at)
  const out: Record<string, IntegrationResponseDefinition> = {}
  for (const [pattern, r] of Object.entries(raw)) {
    const rAt = `${at}${pointer(pattern)}`
    if (!isObject(r)) invalid('integration response must be an object', rAt)
    const response: IntegrationResponseDefinition = { statusCode: statusCodeString(r.statusCode ?? '200', `${rAt}/statusCode`) }
    if (pattern !== 'default') response.selectionPattern = pattern
    const rp = stringMap(r.responseParameters, `${rAt}/responseParameters`)
    if (rp) response.responseParameters = rp
    const rt = stringMap(r.responseTemplates, `${rAt}/responseTemplates`)
    if (rt) response.responseTemplates = rt
    if (r.contentHandling !== undefined) response.contentHandling = contentHandling(r.contentHandling, `${rAt}/contentHandling`)
    for (const key of Object.keys(r)) {
      if (!INTEGRATION_RESPONSE_FIELDS.includes(key))
        warn({
          code: 'IGNORED_SETTING',
          message: `${key} is ignored: gatehouse does not know this setting`,
          pointer: `${rAt}${pointer(key)}`,
        })
    }
    Object.defineProperty(out, pattern, { value: response, enumerable: true, writable: true, configurable: true })
  }
  return out
}

/**
 * The fields of an integration response (`x-amazon-apigateway-integration.responses.<pattern>`) the importer acts
 * on; any other is warned about (its selection pattern is its key).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-integration-response.html
 */
export const INTEGRATION_RESPONSE_FIELDS: readonly string[] = ['statusCode', 'responseParameters', 'responseTemplates', 'contentHandling']

/** The integration's fields this importer reads (or that only describe it). */
const READ = new Set([
  'type',
  'uri',
  'integrationSubtype',
  'httpMethod',
  'payloadFormatVersion',
  'timeoutInMillis',
  'requestParameters',
  'requestTemplates',
  'passthroughBehavior',
  'contentHandling',
  'cacheKeyParameters',
  'cacheNamespace',
  'responses',
  'description',
])

/** Fields API Gateway documents that gatehouse does not act on yet, and what that means for a request. */
const NOT_YET: Readonly<Record<string, string>> = {
  connectionId: 'there is no VPC link: the request goes straight to the uri',
  tlsConfig: "the backend's certificate is checked as Node checks it (insecureSkipVerification and serverNameToVerify are not applied)",
  credentials: "no IAM role is assumed: in-process functions run with the process's rights",
  responseParameters: 'integration-level responseParameters belong to HTTP APIs (REST APIs map per integration response)',
  responseTransferMode: 'responses are buffered, not streamed',
}

/**
 * Every `x-amazon-apigateway-integration` field the importer knows: read, warned about (`connectionType` other than
 * `INTERNET`, the not-yet fields; `integrationSubtype` when the integration is compiled). Any other name is warned
 * about as unknown.
 */
export const INTEGRATION_FIELDS: readonly string[] = [...READ, ...Object.keys(NOT_YET), 'connectionType']

/** An integration that calls an AWS service other than Lambda (its `credentials` role is acted on). */
function isServiceIntegration(raw: Record<string, unknown>): boolean {
  return (
    raw.integrationSubtype !== undefined || /^arn:aws[\w-]*:apigateway:[^:]*:(?!lambda:)[^:]+:(?:action|path)\//.test(toText(raw.uri ?? ''))
  )
}

function warnUnread(raw: Record<string, unknown>, apiType: ApiType, at: string, warn: (w: GatewayWarning) => void): void {
  const service = isServiceIntegration(raw)
  for (const key of Object.keys(raw)) {
    if (READ.has(key) || (key === 'responseParameters' && apiType === 'HTTP')) continue
    if (key === 'credentials' && service) continue
    if (key === 'connectionType' && toText(raw[key]).toUpperCase() === 'INTERNET') continue
    const what =
      key === 'connectionType'
        ? 'VPC links are not used: the request goes straight to the uri'
        : Object.hasOwn(NOT_YET, key)
          ? NOT_YET[key]
          : 'gatehouse does not know this setting'
    warn({ code: 'IGNORED_SETTING', message: `${key} is ignored: ${what}`, pointer: `${at}${pointer(key)}` })
  }
}

/**
 * `x-amazon-apigateway-integration` → the native integration. Fields it does not act on are warned about
 * (refused with `strict`); an AWS service integration keeps its `integrationSubtype` and its role (`credentials`).
 *
 * @example
 * ```ts
 * importIntegration({ type: 'aws_proxy', uri: 'fn', payloadFormatVersion: 2.0 }, 'HTTP', '/paths/~1a/get/x-amazon-apigateway-integration')
 * // { type: 'AWS_PROXY', uri: 'fn', payloadFormatVersion: '2.0' }
 * ```
 */
export function importIntegration(
  raw: unknown,
  apiType: ApiType,
  at: string,
  warn: (w: GatewayWarning) => void = () => {},
): IntegrationDefinition {
  if (!isObject(raw)) invalid('integration must be an object', at)
  const type = toText(raw.type ?? '').toUpperCase() as IntegrationType
  if (!INTEGRATION_TYPES.includes(type)) invalid(`unknown integration type "${toText(raw.type)}"`, `${at}/type`)
  warnUnread(raw, apiType, at, warn)
  const out: IntegrationDefinition = { type }
  if (raw.integrationSubtype !== undefined) out.integrationSubtype = toText(raw.integrationSubtype)
  if (typeof raw.credentials === 'string' && isServiceIntegration(raw)) out.credentials = raw.credentials
  if (raw.uri !== undefined) {
    if (typeof raw.uri !== 'string') invalid('uri must be a string', `${at}/uri`)
    out.uri = raw.uri
  }
  if (out.uri === undefined && type !== 'MOCK' && type !== 'APP' && out.integrationSubtype === undefined)
    invalid(`a ${type} integration needs a uri`, at)
  if (raw.httpMethod !== undefined) out.httpMethod = toText(raw.httpMethod).toUpperCase()
  if (raw.payloadFormatVersion !== undefined) {
    const v = versionString(raw.payloadFormatVersion)
    if (v !== '1.0' && v !== '2.0') invalid('payloadFormatVersion must be "1.0" or "2.0"', `${at}/payloadFormatVersion`)
    if (apiType === 'REST' && v === '2.0') {
      invalid(
        'REST APIs support payload format 1.0 only (for an HTTP API pass `apiType: "HTTP"`, or add x-amazon-apigateway-importexport-version)',
        `${at}/payloadFormatVersion`,
      )
    }
    out.payloadFormatVersion = v
  }
  if (raw.timeoutInMillis !== undefined) {
    const t = numeric(raw.timeoutInMillis)
    const max = apiType === 'HTTP' ? 30000 : 29000
    if (!Number.isInteger(t) || t < 50 || t > max) invalid(`timeoutInMillis must be an integer from 50 to ${max}`, `${at}/timeoutInMillis`)
    out.timeoutInMillis = t
  }
  const requestParameters = stringMap(raw.requestParameters, `${at}/requestParameters`)
  if (requestParameters) out.requestParameters = requestParameters
  // HTTP APIs: response parameter mapping keyed by the integration's status code.
  if (apiType === 'HTTP' && raw.responseParameters !== undefined) {
    const rp = raw.responseParameters
    if (!isObject(rp)) invalid('responseParameters must be an object of status codes', `${at}/responseParameters`)
    out.responseParameters = Object.fromEntries(
      Object.entries(rp).map(([status, mappings]) => [status, stringMap(mappings, `${at}/responseParameters${pointer(status)}`) ?? {}]),
    )
  }
  const requestTemplates = stringMap(raw.requestTemplates, `${at}/requestTemplates`)
  if (requestTemplates) out.requestTemplates = requestTemplates
  if (raw.passthroughBehavior !== undefined) {
    const p = toText(raw.passthroughBehavior).toUpperCase()
    if (p !== 'WHEN_NO_MATCH' && p !== 'WHEN_NO_TEMPLATES' && p !== 'NEVER')
      invalid(`unknown passthroughBehavior "${p}"`, `${at}/passthroughBehavior`)
    out.passthroughBehavior = p
  }
  if (raw.contentHandling !== undefined) out.contentHandling = contentHandling(raw.contentHandling, `${at}/contentHandling`)
  if (raw.cacheKeyParameters !== undefined) {
    if (!Array.isArray(raw.cacheKeyParameters)) invalid('cacheKeyParameters must be an array of strings', `${at}/cacheKeyParameters`)
    out.cacheKeyParameters = raw.cacheKeyParameters.map((p) => toText(p))
  }
  if (typeof raw.cacheNamespace === 'string') out.cacheNamespace = raw.cacheNamespace
  if (raw.responses !== undefined) out.responses = importResponses(raw.responses, `${at}/responses`, warn)
  return out
}
