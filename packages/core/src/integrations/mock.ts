/**
 * MOCK integrations: the request template's `statusCode` selects the integration response, whose parameters and
 * template make the answer. No backend is called.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-mock-integration.html
 */
import type { IntegrationDefinition, IntegrationResponseDefinition } from '../definition'
import { GatewayConfigError } from '../errors'
import { failure } from '../gateway-responses'
import { mediaType } from '../http'
import type { RequestState } from '../state'
import { parameterSource, renderTemplate } from '../templates'
import type { GatewayResponse, HeaderMap } from '../types'
import type { IntegrationResult } from './index'

interface Selectable {
  pattern: RegExp | null
  response: IntegrationResponseDefinition
}

/** Integration responses in selection order: patterned ones, then the default. Java's `matches` is a full match. */
export function compileSelection(responses: Record<string, IntegrationResponseDefinition> | undefined, at: string): Selectable[] {
  const list: Selectable[] = []
  let fallback: Selectable | undefined
  for (const [key, response] of Object.entries(responses ?? {})) {
    const source = response.selectionPattern
    if (source === undefined || source === '') {
      fallback = { pattern: null, response }
      continue
    }
    let pattern: RegExp
    try {
      pattern = new RegExp(`^(?:${source})$`, 's')
    } catch {
      throw new GatewayConfigError('INVALID_DEFINITION', `invalid selectionPattern "${source}"`, `${at}/responses/${key}`)
    }
    list.push({ pattern, response })
  }
  if (fallback) list.push(fallback)
  return list
}

export function selectResponse(list: Selectable[], subject: string): IntegrationResponseDefinition | undefined {
  for (const s of list) if (s.pattern === null || s.pattern.test(subject)) return s.response
  return undefined
}

function pickTemplate(templates: Record<string, string> | undefined, contentType: string): [string, string] | undefined {
  if (!templates) return undefined
  const keys = Object.keys(templates)
  if (keys.length === 0) return undefined
  const key = keys.find((k) => k.toLowerCase() === contentType) ?? keys.find((k) => k.toLowerCase() === 'application/json') ?? keys[0]!
  return [key, templates[key]!]
}

export function compileMock(integration: IntegrationDefinition, at: string): (state: RequestState) => Promise<IntegrationResult> {
  const selection = compileSelection(integration.responses, at)
  return async (state) => {
    let context: Record<string, unknown> | undefined
    const ctx = () => (context ??= state.context())
    const requestType = mediaType(state.request.headers['content-type'] as string | undefined) || 'application/json'
    const requestTemplate = pickTemplate(integration.requestTemplates, requestType)
    let statusCode = 200
    if (requestTemplate) {
      const rendered = renderTemplate(requestTemplate[1], state, ctx())
      try {
        const parsed = JSON.parse(rendered) as { statusCode?: unknown }
        if (parsed && typeof parsed === 'object' && parsed.statusCode !== undefined) statusCode = Number(parsed.statusCode)
      } catch {
        return failure('API_CONFIGURATION_ERROR')
      }
      if (!Number.isInteger(statusCode)) return failure('API_CONFIGURATION_ERROR')
    }
    const chosen = selectResponse(selection, String(statusCode))
    if (!chosen) return failure('API_CONFIGURATION_ERROR')
    const headers: HeaderMap = {}
    for (const [target, source] of Object.entries(chosen.responseParameters ?? {})) {
      if (!target.startsWith('method.response.header.')) continue
      const value = parameterSource(state, source, ctx)
      if (value !== undefined) headers[target.slice(23)] = value
    }
    const accept = mediaType((state.request.headers.accept as string | undefined)?.split(',')[0])
    const template = pickTemplate(chosen.responseTemplates, accept)
    const response: GatewayResponse = {
      statusCode: Number(chosen.statusCode),
      headers,
      body: template ? renderTemplate(template[1], state, ctx()) : '',
    }
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = template?.[0] ?? 'application/json'
    return response
  }
}
