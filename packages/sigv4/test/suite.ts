/**
 * Reads AWS's SigV4 test suite (awslabs/aws-c-auth `tests/aws-signing-test-suite/v4`) from the shared
 * conformance folder, in place.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { SignableRequest } from '../src/index'

export const SUITE_DIR = fileURLToPath(
  new URL('../../../../shared/conformance/aws-sigv4-test-suite/tests/aws-signing-test-suite/v4/', import.meta.url),
)

export interface SuiteContext {
  credentials: { access_key_id: string; secret_access_key: string; token?: string }
  expiration_in_seconds: number
  normalize: boolean
  region: string
  service: string
  sign_body: boolean
  timestamp: string
  omit_session_token?: boolean
}

export interface SuiteCase {
  name: string
  context: SuiteContext
  request: SignableRequest
  file: (name: string) => string
}

/** Parses a raw HTTP/1.1 request as the suite writes it (no space after colons, folded lines, raw UTF-8). */
export function parseRawRequest(text: string): SignableRequest {
  const blank = text.indexOf('\n\n')
  const head = blank === -1 ? text.replace(/\n$/, '') : text.slice(0, blank)
  const body = blank === -1 ? '' : text.slice(blank + 2)
  const lines = head.split('\n')
  const requestLine = lines.shift()!
  const method = requestLine.slice(0, requestLine.indexOf(' '))
  const uri = requestLine.slice(method.length + 1, requestLine.lastIndexOf(' '))
  const q = uri.indexOf('?')
  const headers: Record<string, string | string[]> = {}
  let last: string | undefined
  for (const line of lines) {
    if (/^[ \t]/.test(line) && last !== undefined) {
      const prev = headers[last]!
      if (Array.isArray(prev)) prev[prev.length - 1] += ` ${line.trim()}`
      else headers[last] = `${prev} ${line.trim()}`
      continue
    }
    const colon = line.indexOf(':')
    const name = line.slice(0, colon).toLowerCase()
    const value = line.slice(colon + 1)
    const prev = headers[name]
    headers[name] = prev === undefined ? value : ([] as string[]).concat(prev, value)
    last = name
  }
  const req: SignableRequest = { method, path: q === -1 ? uri : uri.slice(0, q), query: q === -1 ? '' : uri.slice(q + 1), headers }
  if (body !== '') req.body = body
  return req
}

export function suiteAvailable(): boolean {
  return existsSync(SUITE_DIR)
}

export function loadSuite(): SuiteCase[] {
  return readdirSync(SUITE_DIR)
    .sort()
    .map((name) => {
      const file = (f: string) => readFileSync(`${SUITE_DIR}${name}/${f}`, 'utf8')
      return {
        name,
        context: JSON.parse(file('context.json')) as SuiteContext,
        request: parseRawRequest(file('request.txt')),
        file,
      }
    })
}
