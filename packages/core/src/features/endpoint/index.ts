/**
 * Endpoint configuration: the API's endpoint type and its default endpoint, acted on before anything else API
 * Gateway does with a request. A PRIVATE API admits only requests that came through one of its VPC endpoints
 * (any VPC endpoint when it lists none); `disableExecuteApiEndpoint` refuses requests addressed to the default
 * `{apiId}.execute-api.{region}.amazonaws.com` host (or with no single `Host`), unless a custom domain mapping
 * brought them (`createDomain`). The VPC endpoint and VPC a request came through are what the
 * operator's `endpoint` option resolves, and become `aws:SourceVpce` / `aws:SourceVpc` for resource policies.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-endpoint-types.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-apis.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-disable-default-endpoint.html
 */
import type { ApiDefinition } from '../../definition'
import { GatewayConfigError, pointer } from '../../errors'
import type { GatewayFailure } from '../../gateway-responses'
import { headerValues } from '../../http'
import { isObject } from '../../json'
import type { CompiledApi } from '../../model'

import type { RequestState } from '../../state'
import type { GatewayRequest, GatewayResponse } from '../../types'
import { anonymousDenied } from '../resource-policy'
import { stateKey, type Feature, type GatewayContext, type Stage } from '../types'
import { readEndpointConfiguration, readEndpointOptions, type RequestSource } from './configuration'

const EXTENSION = 'x-amazon-apigateway-endpoint-configuration'

/** What the endpoint stage acts on, built once per gateway; `null` when the API needs no endpoint stage. */
interface CompiledEndpoint {
  private: boolean
  /** The VPC endpoints a PRIVATE API admits; `null`: any. */
  allowed: ReadonlySet<string> | null
  disableExecuteApiEndpoint: boolean
  resolve: ((request: GatewayRequest) => RequestSource) | null
}

const ENDPOINT = stateKey<CompiledEndpoint | null>('endpoint')

/** Where an imported definition's endpoint configuration was in its document, for errors found at build time. */
const IMPORTED_AT = new WeakMap<ApiDefinition, string>()

function compileEndpoint(gateway: GatewayContext): CompiledEndpoint | null {
  const { api, input } = gateway
  const definition = gateway.definition
  const at = IMPORTED_AT.get(definition) ?? '/endpointConfiguration'
  const configuration =
    definition.endpointConfiguration === undefined
      ? {}
      : readEndpointConfiguration(definition.endpointConfiguration, at, api.apiType, gateway.warn)
  const { type: optionType, resolve } = readEndpointOptions(input.endpoint, api.apiType)
  const type = optionType ?? configuration.types?.[0] ?? (api.apiType === 'HTTP' ? 'REGIONAL' : 'EDGE')
  const ids = configuration.vpcEndpointIds ?? []
  if (ids.length > 0 && type !== 'PRIVATE') {
    throw new GatewayConfigError('INVALID_DEFINITION', `vpcEndpointIds applies to PRIVATE APIs only, not ${type}`, `${at}/vpcEndpointIds`)
  }
  const isPrivate = type === 'PRIVATE'
  if (isPrivate && !input.endpoint?.vpcEndpointId && !input.endpoint?.trustVpceHeader) {
    gateway.warn({
      code: 'IGNORED_SETTING',
      message:
        'a PRIVATE API admits only requests from a VPC endpoint, and no `endpoint.vpcEndpointId` or `endpoint.trustVpceHeader` says where one comes from: every request is refused',
      pointer: '',
    })
  }
  const disable = configuration.disableExecuteApiEndpoint === true
  if (!isPrivate && !disable && !resolve) return null
  return { private: isPrivate, allowed: ids.length > 0 ? new Set(ids) : null, disableExecuteApiEndpoint: disable, resolve }
}

/** The request's host, lower-case, without port or trailing dot; `undefined` when there is not exactly one `Host`. */
function hostOf(request: GatewayRequest): string | undefined {
  const values = headerValues(request.headers, 'host')
  if (values.length !== 1) return undefined
  let host = values[0]!.toLowerCase()
  if (!host.startsWith('[')) {
    const colon = host.lastIndexOf(':')
    if (colon !== -1) host = host.slice(0, colon)
  }
  return host.endsWith('.') ? host.slice(0, -1) : host
}

/**
 * Whether a request is addressed to one of the API's `execute-api` hosts rather than a custom domain: the default
 * domain, `{apiId}.execute-api.{region}.amazonaws.com`, a PRIVATE API's `{apiId}-{vpceId}` alias, or no single
 * `Host` at all.
 */
function defaultEndpointMatcher(api: CompiledApi): (request: GatewayRequest) => boolean {
  const defaultDomain = api.defaultDomainName.toLowerCase()
  const suffix = `.execute-api.${api.region.toLowerCase()}.amazonaws.com`
  const apiId = api.apiId.toLowerCase()
  return (request) => {
    const host = hostOf(request)
    if (host === undefined || host === defaultDomain) return true
    if (!host.endsWith(suffix)) return false
    const label = host.slice(0, host.length - suffix.length)
    return label === apiId || (label.startsWith(`${apiId}-vpce-`) && !label.includes('.'))
  }
}

/** API Gateway's answer on a disabled default endpoint: 403 `{"message":"Forbidden"}`, not a gateway response. */
function forbidden(): GatewayResponse {
  return { statusCode: 403, headers: { 'content-type': 'application/json' }, body: '{"message":"Forbidden"}' }
}

/** A PRIVATE API's refusal of a request not from an admitted VPC endpoint: the resource policy's anonymous denial. */
function privateDenied(state: RequestState): GatewayFailure {
  return anonymousDenied(state, false)
}

function compileStage(endpoint: CompiledEndpoint, api: CompiledApi): Stage {
  const { allowed, resolve } = endpoint
  const isDefaultEndpoint = endpoint.disableExecuteApiEndpoint ? defaultEndpointMatcher(api) : null
  const isPrivate = endpoint.private
  return (state) => {
    // A request a custom domain mapping brought (`RequestVia.basePath`, set by `createDomain` or the gateway's own
    // `basePath`) came through the domain, whatever its Host: only the default endpoint is disabled.
    if (isDefaultEndpoint !== null && state.via?.basePath === undefined && isDefaultEndpoint(state.request)) return forbidden()
    let vpce: string | undefined
    if (resolve) {
      const source = resolve(state.request)
      state.sourceVpce = vpce = source.vpce
      state.sourceVpc = source.vpc
    }
    if (isPrivate && (vpce === undefined || (allowed !== null && !allowed.has(vpce)))) return privateDenied(state)
    return undefined
  }
}

/**
 * The endpoint feature: `x-amazon-apigateway-endpoint-configuration` import (top level, or an OpenAPI 3 `servers`
 * entry), the `endpoint` option, and one stage on every route of an API that is PRIVATE, has its default endpoint
 * disabled, or resolves its requests' VPC endpoints. Other APIs pay nothing.
 *
 * @example
 * ```ts
 * import { FEATURES } from './features'
 * FEATURES[0] === endpointFeature
 * ```
 */
export const endpointFeature: Feature = {
  name: 'endpoint',
  apiExtensions: [EXTENSION],

  importApi(doc, api, ctx) {
    const found: { value: unknown; at: string }[] = []
    if (doc[EXTENSION] !== undefined) found.push({ value: doc[EXTENSION], at: pointer(EXTENSION) })
    if (Array.isArray(doc.servers)) {
      doc.servers.forEach((server, i) => {
        const value = isObject(server) ? server[EXTENSION] : undefined
        if (value !== undefined) found.push({ value, at: pointer('servers', i, EXTENSION) })
      })
    }
    if (found.length === 0) return
    const first = found[0]!
    for (const other of found.slice(1)) {
      if (JSON.stringify(other.value) !== JSON.stringify(first.value))
        throw new GatewayConfigError('INVALID_DEFINITION', `a different endpoint configuration is given at ${first.at}`, other.at)
    }
    api.endpointConfiguration = readEndpointConfiguration(first.value, first.at, ctx.apiType, ctx.warn)
    IMPORTED_AT.set(api, first.at)
  },

  validate(gateway) {
    gateway.state.get(ENDPOINT, () => compileEndpoint(gateway))
  },

  compileGateway(gateway) {
    const endpoint = gateway.state.get(ENDPOINT, () => compileEndpoint(gateway))
    return endpoint ? compileStage(endpoint, gateway.api) : null
  },
}
