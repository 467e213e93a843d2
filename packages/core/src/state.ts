/**
 * Per-request state: what the stages learn about a request, computed lazily so a route pays only for what it
 * reads. Every fact a stage leaves for a later one is a field declared here, so the request's state has one
 * typed home (per-gateway state lives in `GatewayState`, see features/types.ts).
 */
import type { BucketPolicy, RateLimitHeaderItem } from '@gatehousejs/throttle'
import type { MappingTemplateOverrides, MappingTemplateParams } from '@gatehousejs/vtl'
import type { GatewayFailure, GatewayResponseType } from './gateway-responses'
import { bodyBytes, clfTime, lastHeaderValue, parseQuery, traceHeader } from './http'
import { extendedId, nextExtendedId } from './ids'
import type { CompiledApi, RouteInfo } from './model'
import { reportError, type GatewayErrorStage } from './report'
import type { RequestVia } from './gateway'
import type { GatewayRequest } from './types'
import type { PlanRecord } from './features/usage-plans/records'
import type { ExecutionLog } from './features/execution-log/log'

/** Identity fields of `$context.identity`. */
export interface Identity {
  sourceIp: string
  userAgent: string | null
  accessKey: string | null
  accountId: string | null
  caller: string | null
  user: string | null
  userArn: string | null
  apiKey: string | null
  apiKeyId: string | null
  cognitoAuthenticationProvider: string | null
  cognitoAuthenticationType: string | null
  cognitoIdentityId: string | null
  cognitoIdentityPoolId: string | null
  principalOrgId: string | null
}

/** How long one part of a request took: a feature's stage (its name), `integration`, or an after-stage. */
export interface StageTiming {
  /** The feature's name (`authorizers`, `validation`, `stage-cache`, …) or `integration`. */
  name: string
  /** Before (`before`), the integration, or after the integration (`after`). */
  phase: 'before' | 'integration' | 'after'
  /** Start and end, ms on the gateway's clock (`now`). */
  start: number
  end: number
}

/**
 * A domain name's first label, as `$context.domainPrefix` gives it (the whole name when it has no dot).
 *
 * @example
 * ```ts
 * firstLabel('abc123.execute-api.us-east-1.amazonaws.com') // 'abc123'
 * ```
 */
export function firstLabel(name: string): string {
  const dot = name.indexOf('.')
  return dot === -1 ? name : name.slice(0, dot)
}

export class RequestState {
  readonly requestId: string
  readonly epoch: number
  /** Extra response headers the stages collected (CORS, rate-limit headers, …). */
  readonly responseHeaders: Record<string, string | string[]> = {}
  /** `$context.authorizer.*` once an authorizer ran. */
  authorizer: Record<string, unknown> | null = null
  identity: Identity
  /** The API key a Lambda authorizer returned as `usageIdentifierKey` (for `apiKeySource: AUTHORIZER`). */
  usageIdentifierKey: string | undefined = undefined
  /** The usage plan and key a request was admitted under (set by the API-key stage, read by the quota stage). */
  usagePlanKey: { plan: PlanRecord; keyId: string; methods: Map<string, BucketPolicy> } | undefined = undefined
  /** Limits measured for this request, for the opt-in `RateLimit` / `RateLimit-Policy` headers. */
  rateLimitItems: RateLimitHeaderItem[] | undefined = undefined
  /** The stage-cache key a missed or invalidating request stores its response under. */
  cacheKey: string | undefined = undefined
  /** Whether the stage cache answered (`hit`) or was asked and missed (`miss`): `CacheHitCount`/`CacheMissCount`. */
  cacheOutcome: 'hit' | 'miss' | undefined = undefined
  /** The VPC endpoint and VPC a request came through (`aws:SourceVpce`, `aws:SourceVpc`), when the endpoint stage resolved them. */
  sourceVpce: string | undefined = undefined
  sourceVpc: string | undefined = undefined
  /** The body as the web ACL inspects it (its first bytes, latin1) and its size, read once. */
  wafBody: { text: string; size: number } | undefined = undefined
  /** What the request template set in `$context.requestOverride` / `responseOverride`, read by the response template. */
  templateOverrides: MappingTemplateOverrides | undefined = undefined
  /** `$input.params()`, built on a template's first read. */
  mappingParams: MappingTemplateParams | undefined = undefined
  /** Observed gateways only (access logs, metrics): how long the integration took, ms (`$context.integrationLatency`). */
  integrationLatency: number | undefined = undefined
  /** Observed gateways only: when the request was answered (see `answeredAt` in observe.ts). */
  answeredAt: number | undefined = undefined
  /** Observed gateways only: the integration's status code (`$context.integration.status`), when it answered. */
  integrationStatus: number | undefined = undefined
  /** Observed gateways only: the gateway response the request ended in (`$context.error.*`). */
  failure: GatewayFailure | undefined = undefined
  /** The request's execution log (features/execution-log), undefined when nothing is logged: a stage pays one `if`. */
  log: ExecutionLog | undefined = undefined
  /** How the request reached the gateway when a custom domain or a stage's canary chose it (see `RequestVia`). */
  via: RequestVia | undefined = undefined
  /** Only when an observer asked for them (tracing): each stage's start and end, in order. */
  timings: StageTiming[] | undefined = undefined
  private queryPairs: [string, string][] | undefined

  constructor(
    readonly api: CompiledApi,
    /**
     * The method request. Replaced only by request decompression (features/compression), so that validation,
     * mapping and the integration read the decompressed payload; stages that ran before it saw the payload sent.
     */
    public request: GatewayRequest,
    /** The matched route (`NO_ROUTE` until one matched, for the stages that run before routing). */
    public route: RouteInfo,
    /** Path parameters from the router. */
    public params: Record<string, string>,
    /** The request path inside the API: base path and stage removed, extra leading slashes dropped. */
    readonly path: string,
  ) {
    this.requestId = api.requestId()
    this.epoch = api.now()
    this.identity = {
      sourceIp: request.sourceIp ?? '127.0.0.1',
      userAgent: lastHeaderValue(request.headers, 'user-agent') ?? null,
      accessKey: null,
      accountId: null,
      caller: null,
      user: null,
      userArn: null,
      apiKey: null,
      apiKeyId: null,
      cognitoAuthenticationProvider: null,
      cognitoAuthenticationType: null,
      cognitoIdentityId: null,
      cognitoIdentityPoolId: null,
      principalOrgId: null,
    }
  }

  private extendedId: string | undefined
  private textOf: GatewayRequest['body'] | null = null
  private text = ''

  /** Tell the operator about an unexpected failure of this request (the client gets `type`'s answer). */
  reportFailure(error: unknown, stage: GatewayErrorStage, type: GatewayResponseType | null): void {
    this.log?.failure(error, stage, type)
    reportError(this.api.onError, error, { requestId: this.requestId, routeKey: this.route.routeKey || null, stage, responseType: type })
  }

  /** The route the router matched, for a state the gateway-level stages made before routing. */
  matched(route: RouteInfo, params: Record<string, string>): void {
    this.route = route
    this.params = params
  }

  /** The request body as UTF-8 text (`''` without one), decoded once per body (decompression replaces it). */
  get bodyText(): string {
    const body = this.request.body
    if (body !== this.textOf) {
      this.textOf = body
      this.text = body === undefined ? '' : typeof body === 'string' ? body : bodyBytes(body).toString('utf8')
    }
    return this.text
  }

  /** API Gateway's extended request id (`x-amz-apigw-id`): a counter's, or derived from an operator's request id. */
  get extendedRequestId(): string {
    return (this.extendedId ??= this.api.ownRequestIds ? nextExtendedId() : extendedId(this.requestId))
  }

  /** Decoded query pairs in order. */
  get query(): [string, string][] {
    return (this.queryPairs ??= parseQuery(this.request.query))
  }

  private trace: string | undefined

  /**
   * The request's `X-Amzn-Trace-Id` as API Gateway passes it on and answers it: the client's, completed, or one made
   * from the request id (http/trace-id.ts), the same wherever it is asked for.
   */
  get traceHeader(): string {
    return (this.trace ??= traceHeader(
      lastHeaderValue(this.request.headers, 'x-amzn-trace-id'),
      this.epoch,
      this.api.ownRequestIds ? undefined : this.requestId,
    ))
  }

  /** The domain name's first label (`$context.domainPrefix`). */
  get domainPrefix(): string {
    return firstLabel(this.domainName)
  }

  get domainName(): string {
    return this.via?.domainName ?? lastHeaderValue(this.request.headers, 'host') ?? this.api.defaultDomainName
  }

  /** The path as a REST API's Lambda proxy event carries it: behind a custom domain, with the base path mapping. */
  get eventPath(): string {
    const mapped = this.via?.basePath
    return mapped === undefined || mapped === '' ? this.path : this.path === '/' ? mapped : mapped + this.path
  }

  get requestTime(): string {
    return clfTime(this.epoch)
  }

  /** `$context` as mapping templates, gateway responses and logs read it. */
  context(): Record<string, unknown> {
    const api = this.api
    const domainName = this.domainName
    return {
      accountId: api.accountId,
      apiId: api.apiId,
      authorizer: this.authorizer ?? {},
      domainName,
      domainPrefix: this.domainPrefix,
      extendedRequestId: this.extendedRequestId,
      httpMethod: this.request.method,
      identity: { ...this.identity, clientCert: this.request.clientCert ?? null },
      path: this.request.path,
      protocol: 'HTTP/1.1',
      requestId: this.requestId,
      requestTime: this.requestTime,
      requestTimeEpoch: this.epoch,
      resourceId: this.route.resourceId,
      resourcePath: this.route.resourcePath,
      routeKey: this.route.routeKey,
      stage: api.stage,
      deploymentId: api.deploymentId,
      error: {},
      ...(this.via?.canary === undefined ? {} : { isCanaryRequest: this.via.canary }),
    }
  }
}
