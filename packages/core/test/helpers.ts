/** Requests, response readers and functions for core's tests, which call `gateway.handle` directly. */
import { GatewayConfigError, type GatewayRequest, type GatewayResponse } from '@gatehousejs/core'
import { thrownBy } from '@gatehousejs/test-kit'

export function req(method: string, url: string, init: Partial<GatewayRequest> = {}): GatewayRequest {
  const q = url.indexOf('?')
  return {
    method,
    path: q === -1 ? url : url.slice(0, q),
    ...(q === -1 ? {} : { query: url.slice(q + 1) }),
    headers: { host: 'api.example.com', 'user-agent': 'test-agent', ...(init.headers ?? {}) },
    sourceIp: '203.0.113.7',
    ...init,
    ...(init.headers ? { headers: { host: 'api.example.com', 'user-agent': 'test-agent', ...init.headers } } : {}),
  }
}

export function text(res: GatewayResponse): string {
  return typeof res.body === 'string' ? res.body : Buffer.from(res.body).toString('utf8')
}

export function json(res: GatewayResponse): any {
  return JSON.parse(text(res))
}

export function header(res: GatewayResponse, name: string): string | string[] | undefined {
  const key = Object.keys(res.headers).find((k) => k.toLowerCase() === name.toLowerCase())
  return key === undefined ? undefined : res.headers[key]
}

/** A function that answers with the event it received, so tests can inspect it. */
export const echo = async (event: unknown) => ({ statusCode: 200, body: JSON.stringify(event) })

let counter = 0
export const ids = () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`

/** The GatewayConfigError `fn` throws; anything else it throws propagates, and not throwing fails the test. */
export const configError = (fn: () => unknown): GatewayConfigError => thrownBy(fn, GatewayConfigError)
