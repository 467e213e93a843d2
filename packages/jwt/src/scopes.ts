import type { JwtPayload } from './decode'

/**
 * The scopes a token grants: the space-separated `scope` claim (RFC 8693 / OAuth 2.0, Cognito access
 * tokens), else the `scp` claim (a string or an array, as some providers issue). Empty when neither.
 *
 * @example
 * ```ts
 * import { tokenScopes } from '@gatehousejs/jwt'
 * tokenScopes({ scope: 'pets/read pets/write' }) // ['pets/read', 'pets/write']
 * ```
 */
export function tokenScopes(payload: JwtPayload): string[] {
  const scope = payload.scope !== undefined ? payload.scope : payload.scp
  if (typeof scope === 'string') return scope.split(' ').filter((s) => s !== '')
  if (Array.isArray(scope)) return scope.filter((s): s is string => typeof s === 'string' && s !== '')
  return []
}

/**
 * True when the token has at least one of `required` (API Gateway's rule for `authorizationScopes`), or when
 * `required` is empty or absent (the route asks for no scopes).
 *
 * @example
 * ```ts
 * import { hasAnyScope } from '@gatehousejs/jwt'
 * hasAnyScope({ scope: 'pets/read' }, ['pets/read', 'admin']) // true
 * hasAnyScope({ scope: 'pets/read' }, ['admin'])              // false
 * ```
 */
export function hasAnyScope(payload: JwtPayload, required: readonly string[] | undefined): boolean {
  if (required === undefined || required.length === 0) return true
  const granted = tokenScopes(payload)
  return required.some((s) => granted.includes(s))
}
