/**
 * `$context.authorizer.claims`. AWS documents that `$context.authorizer.claims.<property>` reads a Cognito claim
 * while "calling `$context.authorizer.claims` returns null": the claims are readable one by one but the map itself
 * is not. This host gives the properties and prints as nothing (null renders as nothing); only `#if` on the map
 * itself differs (it is true here).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html
 */
import { callMethod } from '../methods/dispatch'
import { Host, isPlainObject, ownGet } from '../values/model'

class ClaimsHost extends Host {
  constructor(private readonly claims: Record<string, unknown>) {
    super()
  }
  prop(name: string): unknown {
    return ownGet(this.claims, name)
  }
  call(name: string, args: unknown[]): unknown {
    return callMethod(this.claims, name, args)
  }
  toString(): string {
    return ''
  }
}

/** The context with `authorizer.claims` wrapped, when there are claims; the context itself otherwise. */
export function withClaims(context: Record<string, unknown>): Record<string, unknown> {
  const authorizer = context.authorizer
  if (!isPlainObject(authorizer) || !isPlainObject(authorizer.claims)) return context
  return { ...context, authorizer: { ...authorizer, claims: new ClaimsHost(authorizer.claims) } }
}
