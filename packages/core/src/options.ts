/**
 * What `createGateway` takes: the definition, the stage, and each feature's slice of the options. Types only.
 */
import type { ResponseCacheStore } from '@gatehousejs/cache'
import type { Store } from '@gatehousejs/throttle'
import type { TemplateOptions } from '@gatehousejs/vtl'
import type { ApiDefinition, ApiType, MethodSetting } from './definition'
import type { GatewayWarning } from './errors'
import type { AccessLogOptions } from './features/access-log/destination'
import type { AuthorizationOptions } from './features/authorizers/options'
import type { EndpointOptions } from './features/endpoint/options'
import type { ExecutionLogger, ExecutionLogSettings } from './features/execution-log/options'
import type { IamPrincipals } from './features/iam/options'
import type { MetricsMethodSettings, MetricsOptions, MetricsRouteSettings } from './features/metrics/options'
import type { CacheInvalidationRequest } from './features/stage-cache/options'
import type { MethodThrottleSettings } from './features/throttling/options'
import type { WafOptions } from './features/waf/options'
import type { ApiKeyDefinition, ThrottleSettings, UsagePlanDefinition, UsagePlanRegistry } from './features/usage-plans/types'
import type { AwsOptions } from './integrations/aws-service/options'
import type { HttpBackendHandler } from './integrations/in-process'
import type { LambdaHandler } from './integrations/lambda'
import type { RequestObserver } from './observe'
import type { EVERY_METHOD } from './method-settings'
import type { ErrorReporter } from './report'

/**
 * A stage as API Gateway deploys one.
 *
 * @example
 * ```ts
 * import { createGateway, EVERY_METHOD, type StageDefinition } from '@gatehousejs/core'
 * const stage: StageDefinition = {
 *   stageName: 'dev',
 *   variables: { petsFunction: 'getPet' },
 *   methodSettings: { [EVERY_METHOD]: { throttlingRateLimit: 100, throttlingBurstLimit: 200 } },
 * }
 * const gw = createGateway({
 *   api: { resources: { '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: '${stageVariables.petsFunction}' } } } } },
 *   functions: { getPet: async (event) => ({ statusCode: 200, body: event.stageVariables.petsFunction }) },
 *   stage,
 * })
 * gw.stage // 'dev'
 * ;(await gw.handle({ method: 'GET', path: '/pets/1', headers: {} })).body // 'getPet'
 * ```
 */
export interface StageDefinition {
  stageName: string
  /** Stage variables (`$stageVariables`, `${stageVariables.x}` in integration URIs). */
  variables?: Record<string, string>
  deploymentId?: string
  /**
   * X-Ray tracing: `$context.xrayTraceId` is filled (the client's `X-Amzn-Trace-Id` root, or one made for the
   * request). The trace header is passed to integrations either way; segments are not sent (spans: @gatehousejs/otel).
   */
  tracingEnabled?: boolean
  /**
   * REST stage throttling (`methodSettings`): {@link EVERY_METHOD} for every method, `/{resource}/{METHOD}` (e.g. `/pets/{id}/GET`,
   * or `~1pets~1{id}/GET`) for one; each method gets its own bucket, shared by all clients.
   */
  methodSettings?: Record<string, MethodThrottleSettings & MethodSetting & MetricsMethodSettings & ExecutionLogSettings>
  /** HTTP API stage throttling for every route (`defaultRouteSettings`). */
  defaultRouteSettings?: MethodThrottleSettings & MetricsRouteSettings
  /** HTTP API throttling per route key (`GET /pets`, `$default`). */
  routeSettings?: Record<string, MethodThrottleSettings & MetricsRouteSettings>
  /** Provision the stage cache (REST APIs). GET methods are then cached for 300 s unless `methodSettings` say otherwise. */
  cacheClusterEnabled?: boolean
  /**
   * The cache's memory budget: one of AWS's sizes in GB (`'0.5'` default, `'1.6'`, `'6.1'`, `'13.5'`, `'28.4'`,
   * `'58.2'`, `'118'`, `'237'`; GB read as 1000 MiB), or a number of bytes (>= 1024). Ignored with a `cache` store.
   */
  cacheClusterSize?: string | number
  /**
   * Access logs: `format` with API Gateway's `$context` variables, or a console preset by name (`CLF`, `JSON`, `XML`,
   * `CSV`); one line per request to the `accessLog` option's destination (`destinationArn` is AWS's log group).
   */
  accessLogSettings?: { format?: string; destinationArn?: string }
}

/**
 * What `createGateway` takes.
 *
 * @example
 * ```ts
 * import { createGateway, type GatewayInput } from '@gatehousejs/core'
 * const input: GatewayInput = {
 *   // An OpenAPI 3 document with API Gateway's extensions, as exported from AWS.
 *   api: {
 *     openapi: '3.0.1',
 *     info: { title: 'pets', version: '1' },
 *     paths: {
 *       '/pets/{id}': {
 *         get: { 'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: 'getPet' } },
 *       },
 *     },
 *   },
 *   stage: 'prod',
 *   functions: { getPet: async (event) => ({ statusCode: 200, body: JSON.stringify({ id: event.pathParameters.id }) }) },
 *   onError: (error, info) => console.error(info.requestId, error),
 * }
 * const gw = createGateway(input)
 * const res = await gw.handle({ method: 'GET', path: '/pets/7', headers: { host: 'api.example.com' } })
 * res.body // '{"id":"7"}'
 * ```
 */
export interface GatewayInput {
  /** An OpenAPI 3.0 / Swagger 2.0 document with `x-amazon-apigateway-*` extensions, or the native definition. */
  api: ApiDefinition | Record<string, unknown>
  /**
   * How the API would be imported into API Gateway: `REST` or `HTTP`. Detected from an OpenAPI document when absent
   * (`x-amazon-apigateway-importexport-version`, `x-amazon-apigateway-cors`, a `$default` path make it HTTP); a
   * native definition is REST unless this says otherwise.
   */
  apiType?: ApiType
  /** The stage served: a name, or a stage with variables. Default `prod` (REST) / `$default` (HTTP). */
  stage?: string | StageDefinition
  /** In-process Lambda functions, keyed by function name, `name:qualifier`, function ARN or integration URI. */
  functions?: Record<string, LambdaHandler>
  /**
   * Path prefix every request must carry, removed before routing: a custom domain's base path mapping (`/v1`).
   * With `stageInPath`, the stage name follows it, as on `execute-api` URLs (`/prod/pets`).
   */
  basePath?: string
  stageInPath?: boolean
  /** A request that matches no route: API Gateway's answer (`respond`, default) or the host app (`passthrough`). */
  unmatched?: 'respond' | 'passthrough'
  /** Warnings about unimplemented extensions become errors (the `SHARED_CACHE` notice stays a warning). */
  strict?: boolean
  /** Called once per warning at build time (default: `console.warn`). */
  onWarning?: (warning: GatewayWarning) => void
  apiId?: string
  accountId?: string
  region?: string
  /**
   * Callers of `AWS_IAM` methods: IAM users and role sessions with their access keys and identity policies (a list,
   * or a map from access key id). Requests are SigV4-verified for `region` and service `execute-api`.
   */
  principals?: IamPrincipals
  /**
   * Endpoint configuration: the endpoint type (overrides the definition's), and where a PRIVATE API learns which
   * VPC endpoint a request came through (`vpcEndpointId`, or `trustVpceHeader` behind a trusted proxy). Without
   * one, a PRIVATE API refuses every request.
   */
  endpoint?: EndpointOptions
  /** Lambda, Cognito and JWT authorizers: the Lambda authorizer timeout, result-cache size, where issuers' keys are. */
  authorization?: AuthorizationOptions
  /** API keys (with `usagePlans` as a list): `{ id?, name?, value?, enabled? }`; values of 20 to 128 characters. */
  apiKeys?: readonly ApiKeyDefinition[]
  /**
   * Usage plans (throttle, quota, API stages with per-method throttles, key ids), or a registry from
   * `createUsagePlanRegistry` to create, disable and delete keys and read usage while the gateway runs.
   */
  usagePlans?: readonly UsagePlanDefinition[] | UsagePlanRegistry
  /** Account-level throttle shared by every method (off by default; `AWS_ACCOUNT_THROTTLE` is AWS's default). */
  accountThrottle?: ThrottleSettings
  /** Where token buckets and quotas live (default: in memory); a Redis store shares them across processes. */
  store?: Store
  /** Send the IETF draft `RateLimit` / `RateLimit-Policy` headers (API Gateway does not). Default false. */
  rateLimitHeaders?: boolean
  /**
   * Where the stage cache keeps responses (default: in memory, bounded by `cacheClusterSize`): e.g.
   * `createRedisResponseCache` from `@gatehousejs/redis` to share one cache between processes.
   */
  cache?: ResponseCacheStore
  /** The AES-256-GCM key (32 bytes) of `cacheDataEncrypted` methods; default a random key per gateway. */
  cacheEncryptionKey?: Uint8Array
  /**
   * Who may invalidate a cache entry with `Cache-Control: max-age=0` when the method requires authorization.
   * Default: a SigV4-signed request from one of `principals` allowed `execute-api:InvalidateCache` on the method.
   */
  authorizeCacheInvalidation?: (caller: CacheInvalidationRequest) => boolean | Promise<boolean>
  /** Largest request body accepted; API Gateway's limit is 10 MB. */
  maxBodyBytes?: number
  /**
   * Patterns that run on request data (`selectionPattern`, `identityValidationExpression`) are matched in time
   * linear in the input; a construct that cannot be (backreferences, lookaround) is refused when the gateway is
   * built. List the refused patterns' JSON pointers here (as the error names them), or `true` for all, to run them
   * with the native backtracking RegExp instead — with no time bound on hostile input.
   */
  allowBacktrackingPatterns?: boolean | readonly string[]
  /** Clock, epoch milliseconds. */
  now?: () => number
  /** Request ids (`$context.requestId`, Lambda's `awsRequestId`). */
  requestId?: () => string
  /**
   * Called for every unexpected failure, with the original error: a Lambda function that throws, times out or
   * answers what API Gateway cannot read; a Lambda authorizer that throws or answers no usable policy; an issuer's
   * keys that cannot be fetched; an HTTP backend that fails or times out; a mapping template that fails or runs
   * over its budget; a cache or throttle store that fails; an access log that cannot be written; an internal
   * error. The client gets API Gateway's answer, never the error. Default: one line on stderr with the stack.
   */
  onError?: ErrorReporter
  /**
   * Where execution logs go (stage `methodSettings` `loggingLevel` / `dataTraceEnabled`, REST APIs): a pino logger,
   * or anything with `info` / `warn` / `error(fields, message)`. Default: the console (message only).
   */
  logger?: ExecutionLogger
  /**
   * Your own observers of every answered request (a dashboard, a tracer): each gets the request's state and its
   * response once the response is made; one with `timings: true` also gets each stage's start and end.
   */
  observers?: readonly RequestObserver[]
  /**
   * Limits of every mapping template (request, response and gateway-response templates): size, `#foreach`
   * iterations, and the work budget of one render (steps, output, string growth, depth). Defaults are API
   * Gateway's where it has one (300 KB, 1,000 iterations) and `@gatehousejs/vtl`'s otherwise; see SECURITY.md.
   */
  templateLimits?: TemplateOptions
  /**
   * A web ACL associated with the stage, in AWS WAF's JSON words: rules (IP sets, byte, regex and size matches,
   * rate-based rules, AND / OR / NOT) run by priority before anything else; a blocked request gets `WAF_FILTERED`.
   */
  waf?: WafOptions
  /**
   * AWS service integrations (REST `AWS` integrations to SQS, DynamoDB, S3, …; HTTP APIs' `integrationSubtype`):
   * the `credentials` requests are signed with (default: the `AWS_*` environment variables), the `endpoints` per
   * service name (default: AWS's regional endpoints; point them at LocalStack or a test double), or in-process
   * `services` that get the signed request.
   */
  aws?: AwsOptions
  /**
   * In-process HTTP backends, keyed by origin (`https://pets.example.com`, `http://10.0.0.5:8080`): an HTTP or
   * HTTP_PROXY integration whose URI has that origin calls the function with the request it would have sent (path,
   * query, headers and body as on the wire) instead of opening a socket, within the integration's timeout. For tests
   * and for running a deployed definition next to local code; other origins go over the network.
   */
  httpBackends?: Record<string, HttpBackendHandler>
  /** Where access-log lines go (stage `accessLogSettings`): a function, a writable stream or a file path; default stdout. */
  accessLog?: AccessLogOptions
  /**
   * API Gateway's CloudWatch metrics (`Count`, `4XXError`, `Latency`, …) for every request, to `sink` functions: a
   * Prometheus registry (`createPrometheusRegistry`), Embedded Metric Format lines (`createEmfExporter`), your own.
   * Off by default.
   */
  metrics?: MetricsOptions
}
