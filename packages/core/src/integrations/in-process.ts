/**
 * Backends served in process instead of over a socket: the gateway's `httpBackends` (HTTP and HTTP_PROXY
 * integrations, keyed by the URI's origin) and `aws.services` (AWS service integrations). Both get the request the
 * gateway would have sent, are held to the integration's timeout, and their answers are read as a socket's would be:
 * header names lower-cased, at most API Gateway's 10 MB payload, a missing or invalid status a failure.
 */
import { GatewayConfigError } from '../errors'
import { bodyBytes, setOwn } from '../http'
import type { HeaderMap } from '../types'
import type { HttpTarget } from './uri-template'

/**
 * The request an HTTP or HTTP_PROXY integration sends, as an in-process backend receives it.
 *
 * @example
 * ```ts
 * import type { HttpBackendRequest } from '@gatehousejs/core'
 * const seen: HttpBackendRequest[] = []
 * const pets = (request: HttpBackendRequest) => {
 *   seen.push(request) // { method: 'GET', url: 'https://pets.example.com/pets/7', path: '/pets/7', query: '', headers: { host: 'pets.example.com', … } }
 *   return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"id":7}' }
 * }
 * ```
 */
export interface HttpBackendRequest {
  method: string
  /** The whole URL: the origin, the path and the query string, percent-encoded as sent. */
  url: string
  /** Path as sent (percent-encoded, no query). */
  path: string
  /** Query string as sent, without `?` (empty when none). */
  query: string
  /**
   * Header names lower-case, as the socket would send them (`host` and `content-length` included); a header sent
   * on several lines is an array.
   */
  headers: Record<string, string | string[]>
  body: Uint8Array
}

/**
 * What an in-process backend answers: passed to integration responses (HTTP) or to the client (HTTP_PROXY).
 *
 * @example
 * ```ts
 * import type { HttpBackendResponse } from '@gatehousejs/core'
 * const answer: HttpBackendResponse = { statusCode: 201, headers: { location: '/pets/8' }, body: '{"id":8}' }
 * ```
 */
export interface HttpBackendResponse {
  statusCode: number
  headers?: Record<string, string | string[] | undefined>
  body?: string | Uint8Array
}

/**
 * An in-process HTTP backend: answers the request an HTTP or HTTP_PROXY integration would have sent to its origin.
 *
 * @example
 * ```ts
 * import { createGateway, type HttpBackendHandler } from '@gatehousejs/core'
 * const backend: HttpBackendHandler = (request) => ({ statusCode: 200, body: `you asked for ${request.path}` })
 * const gw = createGateway({ api, httpBackends: { 'https://pets.example.com': backend } })
 * ```
 */
export type HttpBackendHandler = (request: HttpBackendRequest) => Promise<HttpBackendResponse> | HttpBackendResponse

/** The `httpBackends` option checked once: handlers by normalised origin (`https://host[:port]`). */
export type HttpBackends = ReadonlyMap<string, HttpBackendHandler>

/** An in-process call's outcome: the answer as a socket's would be read, or why there is none. */
export type InProcessOutcome =
  | { ok: true; answer: { statusCode: number; headers: HeaderMap; body: Uint8Array } }
  | { ok: false; timeout: boolean; error: unknown }

/** The most an answer may hold, as over a socket (API Gateway's 10 MB payload limit). */
const MAX_ANSWER_BYTES = 10 * 1024 * 1024

function invalid(message: string): never {
  throw new GatewayConfigError('INVALID_OPTION', `httpBackends: ${message}`, '/httpBackends')
}

/**
 * Check the `httpBackends` option: keys are origins (`https://pets.example.com`, `http://10.0.0.5:8080`), values
 * functions. The origins are normalised as URLs are (lower-case host, the scheme's default port left out).
 *
 * @example
 * ```ts
 * compileHttpBackends({ 'https://Pets.example.com:443': handler }).get('https://pets.example.com') // handler
 * compileHttpBackends({ 'https://pets.example.com/v1': handler }) // throws: an origin has no path
 * ```
 */
export function compileHttpBackends(option: Record<string, HttpBackendHandler> | undefined): HttpBackends | undefined {
  if (option === undefined) return undefined
  if (option === null || typeof option !== 'object' || Array.isArray(option)) invalid('must be an object keyed by origin')
  const out = new Map<string, HttpBackendHandler>()
  for (const [key, handler] of Object.entries(option)) {
    let url: URL
    try {
      url = new URL(key)
    } catch {
      invalid(`"${key}" is not an origin (https://host[:port])`)
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') invalid(`"${key}" must be an http: or https: origin`)
    if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '' || /[/?#]$/.test(key))
      invalid(`"${key}" must be an origin alone: no path, query, fragment or user info`)
    if (typeof handler !== 'function') invalid(`"${key}" must map to a function (request) => response`)
    if (out.has(url.origin)) invalid(`"${key}" names the origin ${url.origin} a second time`)
    out.set(url.origin, handler)
  }
  return out.size === 0 ? undefined : out
}

const DEFAULT_PORT = { 'http:': '80', 'https:': '443' } as const

/** `https://host[:port]` of a target, normalised as {@link compileHttpBackends} normalises its keys. */
export function originOf(target: HttpTarget): string {
  const host = target.hostname.includes(':') ? `[${target.hostname}]` : target.hostname.toLowerCase()
  const port = target.port === undefined ? '' : String(target.port)
  return `${target.protocol}//${host}${port === '' || port === DEFAULT_PORT[target.protocol] ? '' : `:${port}`}`
}

function lowerHeaders(headers: HttpBackendResponse['headers']): HeaderMap {
  const out: HeaderMap = {}
  if (headers && typeof headers === 'object')
    for (const [name, value] of Object.entries(headers)) {
      const lower = name.toLowerCase()
      // The body is handed over whole: how it was framed is no header of the answer (as over a socket).
      if (value !== undefined && lower !== 'transfer-encoding') setOwn(out, lower, value)
    }
  return out
}

/**
 * Call an in-process backend (`label` names it in errors), held to `timeoutMs`: a throw, a rejection, an answer
 * without a valid `statusCode` or over 10 MB is a failure, never a throw.
 *
 * @example
 * ```ts
 * const out = await callInProcess(handler, request, 29000, 'the in-process sqs service')
 * if (out.ok) out.answer.statusCode
 * ```
 */
export async function callInProcess<Q>(
  handler: (request: Q) => Promise<HttpBackendResponse> | HttpBackendResponse,
  request: Q,
  timeoutMs: number,
  label: string,
): Promise<InProcessOutcome> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs)
    timer.unref?.()
  })
  try {
    const out = await Promise.race([Promise.resolve().then(() => handler(request)), timedOut])
    if (out === 'timeout') return { ok: false, timeout: true, error: new Error(`${label} timed out after ${timeoutMs} ms`) }
    const status = out?.statusCode
    if (!Number.isInteger(status) || status < 100 || status > 599)
      return { ok: false, timeout: false, error: new TypeError(`${label} answered without a valid statusCode`) }
    const body = out.body === undefined ? new Uint8Array() : new Uint8Array(bodyBytes(out.body))
    if (body.length > MAX_ANSWER_BYTES)
      return { ok: false, timeout: false, error: new Error(`${label} answered over API Gateway's ${MAX_ANSWER_BYTES}-byte payload limit`) }
    return { ok: true, answer: { statusCode: status, headers: lowerHeaders(out.headers), body } }
  } catch (error) {
    return { ok: false, timeout: false, error }
  } finally {
    clearTimeout(timer)
  }
}
