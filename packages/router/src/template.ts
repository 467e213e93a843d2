import { RouterError } from './errors'

/**
 * One segment of a parsed resource path template.
 *
 * @example
 * ```ts
 * import { parseTemplate } from '@gatehousejs/router'
 * parseTemplate('/pets/{id}') // [{ kind: 'static', value: 'pets' }, { kind: 'param', name: 'id' }]
 * ```
 */
export type TemplateSegment =
  | { readonly kind: 'static'; readonly value: string }
  | { readonly kind: 'param'; readonly name: string }
  | { readonly kind: 'greedy'; readonly name: string }

// A parameter name may hold anything that cannot be confused with template syntax or a path separator.
const badNameChar = /[{}/+\s]/

/**
 * Parses an API Gateway resource path template (`/`, `/pets`, `/pets/{id}`, `/files/{proxy+}`) into segments.
 * Throws {@link RouterError} (`INVALID_PATH`, `GREEDY_NOT_LAST`, `DUPLICATE_PARAMETER`) for a malformed template.
 *
 * @example
 * ```ts
 * import { parseTemplate } from '@gatehousejs/router'
 * parseTemplate('/files/{proxy+}') // [{ kind: 'static', value: 'files' }, { kind: 'greedy', name: 'proxy' }]
 * ```
 */
export function parseTemplate(path: string, method?: string): TemplateSegment[] {
  const route = { method, path }
  if (typeof path !== 'string' || path[0] !== '/') {
    throw new RouterError('INVALID_PATH', `route path ${JSON.stringify(path)} must start with "/"`, route)
  }
  if (path === '/') return []
  const parts = path.slice(1).split('/')
  const segments: TemplateSegment[] = []
  const seen = new Set<string>()
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!
    if (part === '') {
      throw new RouterError('INVALID_PATH', `route path ${JSON.stringify(path)} has an empty segment`, route)
    }
    const open = part.indexOf('{')
    const close = part.indexOf('}')
    if (open === -1 && close === -1) {
      segments.push({ kind: 'static', value: part })
      continue
    }
    // API Gateway only allows a parameter as a whole path part: `{id}`, never `id-{n}` or `{a}{b}`.
    if (open !== 0 || close !== part.length - 1 || part.indexOf('{', 1) !== -1 || part.indexOf('}') !== close) {
      throw new RouterError(
        'INVALID_PATH',
        `route path ${JSON.stringify(path)}: segment ${JSON.stringify(part)} must be a whole {name} or {name+}`,
        route,
      )
    }
    const greedy = part.endsWith('+}')
    const name = part.slice(1, greedy ? -2 : -1)
    if (name === '' || badNameChar.test(name)) {
      throw new RouterError('INVALID_PATH', `route path ${JSON.stringify(path)}: invalid parameter name in ${JSON.stringify(part)}`, route)
    }
    if (seen.has(name)) {
      throw new RouterError('DUPLICATE_PARAMETER', `route path ${JSON.stringify(path)} uses parameter {${name}} twice`, route)
    }
    seen.add(name)
    if (greedy && i !== parts.length - 1) {
      throw new RouterError('GREEDY_NOT_LAST', `route path ${JSON.stringify(path)}: greedy {${name}+} must be the last segment`, route)
    }
    segments.push(greedy ? { kind: 'greedy', name } : { kind: 'param', name })
  }
  return segments
}
