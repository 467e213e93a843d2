/**
 * Mapping templates: a `requestTemplates` / `responseTemplates` map compiled once, when the gateway is built, into
 * VTL renderers (through `@gatehousejs/vtl`) keyed by media type, for integration requests, integration responses
 * and gateway responses. Per request, only the compiled template runs.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/models-mappings.html
 */
import { compileMappingTemplate, VtlError, type CompiledMappingTemplate, type TemplateOptions } from '@gatehousejs/vtl'
import { GatewayConfigError, pointerToken } from '../errors'
import { mediaType } from '../http'

/** Templates of one integration (or integration response, or gateway response), keyed by lower-case media type. */
export interface TemplateSet {
  /** Media type (as written in the definition) → compiled template, in definition order. */
  readonly byType: ReadonlyMap<string, CompiledTemplateEntry>
  readonly size: number
}

export interface CompiledTemplateEntry {
  /** The content type as the definition spells it (sent as the payload's Content-Type). */
  type: string
  render: CompiledMappingTemplate
}

/**
 * Compile a `requestTemplates` / `responseTemplates` map. A template that does not parse fails the build.
 *
 * @example
 * ```ts
 * const set = compileTemplateSet({ 'application/json': '{"id": "$input.params(\'id\')"}' }, '/x/requestTemplates')
 * set.byType.get('application/json')?.render({ params: { path: { id: '7' } } }).body // '{"id": "7"}'
 * ```
 */
export function compileTemplateSet(templates: Record<string, string> | undefined, at: string, limits?: TemplateOptions): TemplateSet {
  const byType = new Map<string, CompiledTemplateEntry>()
  for (const [type, source] of Object.entries(templates ?? {})) {
    const where = `${at}/${pointerToken(type)}`
    if (typeof source !== 'string') throw new GatewayConfigError('INVALID_DEFINITION', 'a mapping template must be a string', where)
    let render: CompiledMappingTemplate
    try {
      render = compileMappingTemplate(source, limits)
    } catch (e) {
      if (e instanceof VtlError) throw new GatewayConfigError('INVALID_DEFINITION', `mapping template: ${e.message}`, where, { cause: e })
      throw e
    }
    const key = mediaType(type)
    if (!byType.has(key)) byType.set(key, { type, render })
  }
  return { byType, size: byType.size }
}
