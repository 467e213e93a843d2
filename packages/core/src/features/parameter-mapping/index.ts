/**
 * Parameter mapping: a `requestParameters` / `responseParameters` map (target → source expression) compiled once,
 * when the gateway is built, for integration requests, integration responses and gateway responses. Each target
 * is checked against the targets its side allows; each source is compiled by ./source.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-parameter-mapping.html
 */
import { GatewayConfigError, pointerToken } from '../../errors'
import { compileSource, type CompiledSource, type SourceSide } from './source'

export type { CompiledSource, SourceInput, SourceSide } from './source'

/** One compiled mapping: the target as written, its prefix (`kind`), the name after it, and the source's reader. */
export interface CompiledMapping {
  target: string
  kind: string
  name: string
  read: CompiledSource
}

/**
 * Compile a `responseParameters` / `requestParameters` map whose targets start with one of `prefixes`.
 *
 * @example
 * ```ts
 * compileMappings({ 'method.response.header.X-Id': 'integration.response.body.id' }, ['method.response.header.'], 'integration-response', '/x')
 * ```
 */
export function compileMappings(
  mappings: Record<string, string> | undefined,
  prefixes: readonly string[],
  side: SourceSide,
  at: string,
): CompiledMapping[] {
  const out: CompiledMapping[] = []
  for (const [target, source] of Object.entries(mappings ?? {})) {
    const where = `${at}/${pointerToken(target)}`
    const prefix = prefixes.find((p) => target.startsWith(p))
    if (prefix === undefined || target.length === prefix.length) {
      throw new GatewayConfigError(
        'INVALID_DEFINITION',
        `invalid mapping target "${target}": expected ${prefixes.map((p) => `${p}NAME`).join(' or ')}`,
        where,
      )
    }
    out.push({ target, kind: prefix, name: target.slice(prefix.length), read: compileSource(source, side, where) })
  }
  return out
}
