import { failure } from '../gateway-responses'
import { bodyBytes } from '../http'
import { compileRequestMapping } from './integration-request'
import { compileResponseMapping } from './integration-response'
import type { Integrate, IntegrationBuild } from './types'

/** The integer `statusCode` of a MOCK payload, or null ("Unable to parse statusCode"). */
function mockStatus(payload: string | Uint8Array): number | null {
  const text = typeof payload === 'string' ? payload : bodyBytes(payload).toString('utf8')
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return null
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null
  const raw = (parsed as { statusCode?: unknown }).statusCode
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN
  return Number.isInteger(n) ? n : null
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
