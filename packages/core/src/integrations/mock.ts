/**
 * `MOCK`: the integration request payload (normally the rendered request template) carries the
 * `statusCode` that selects the integration response, whose parameters and template make the answer. No backend
 * is called.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-mock-integration.html
 */
import type { IntegrationDefinition } from '../definition'
import { failure } from '../gateway-responses'
import { bodyBytes } from '../http'
import type { CompiledApi, IntegrationResult } from '../model'
import type { RequestState } from '../state'
import { compileRequestMapping } from './integration-request'
import { compileResponseMapping } from './integration-response'

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
export function compileMock(
  integration: IntegrationDefinition,
  api: CompiledApi,
  at: string,
): (state: RequestState) => Promise<IntegrationResult> {
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
