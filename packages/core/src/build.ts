/**
 * `createGateway`: validate the definition once and build it into a route table of ready closures (each
 * feature's stages, the integration), then hand it to the pipeline. A request only looks things up and runs the
 * stages its route needs.
 */
import { createHash } from 'node:crypto'
import { createRouter, RouterError, type Router } from '@gatehousejs/router'
import { compileCors } from './cors'
import type { ApiDefinition, ApiType, IntegrationDefinition, MethodDefinition } from './definition'
import { GatewayConfigError, pointer, toText, type GatewayWarning } from './errors'
import { FEATURES } from './features'
import { flushStageCache, stageCacheStats } from './features/stage-cache'
import { GatewayState, type AfterStage, type GatewayContext, type Stage } from './features/types'
import type { Gateway, GatewayLike } from './gateway'
import { compileGatewayResponses } from './gateway-response-render'
import { mediaTypeMatcher } from './http'
import { compileIntegration } from './integrations'
import { validateAwsOptions } from './integrations/aws-service'
import { nextRequestId } from './ids'
import { compileHttpBackends } from './integrations/in-process'
import type { CompiledApi } from './model'
import { importOpenApiDocument, isOpenApiDocument } from './openapi-import'
import { detectApiType, unrecognisedDocument } from './openapi/document'
import { refuseIntrinsics } from './openapi/intrinsics'
import { combineObservers } from './observe'
import { mapConfigError, PointerTable } from './openapi/pointers'
import type { GatewayInput, StageDefinition } from './options'
import { createPipeline, type CompiledRoute } from './pipeline'

/** API Gateway's payload limit (10 MB). */
const MAX_BODY = 10 * 1024 * 1024

function shortId(seed: string, length: number): string {
  const hex = createHash('sha256').update(seed).digest('hex')
  return BigInt(`0x${hex.slice(0, 16)}`)
    .toString(36)
    .padStart(length, '0')
    .slice(0, length)
}

/** Whether a pattern may backtrack: listed by its pointer in the native model or in the user's document. */
function backtrackingPolicy(option: GatewayInput['allowBacktrackingPatterns'], pointers: PointerTable): (pointer: string) => boolean {
  if (option === undefined || option === false) return () => false
  if (option === true) return () => true
  if (!Array.isArray(option) || option.some((p) => typeof p !== 'string')) {
    throw new GatewayConfigError('INVALID_OPTION', '`allowBacktrackingPatterns` must be a boolean or a list of JSON pointers')
  }
  const allowed = new Set(option)
  return (pointer) => allowed.has(pointer) || allowed.has(pointers.map(pointer))
}

/**
 * What every adapter takes: a built gateway is used as is, a definition is built once, here.
 *
 * @example
 * ```ts
 * import { createGateway, toGateway, type Gateway, type GatewayInput } from '@gatehousejs/core'
 * const input: GatewayInput = {
 *   api: { resources: { '/pets': { GET: { integration: { type: 'AWS_PROXY', uri: 'listPets' } } } } },
 *   functions: { listPets: async () => ({ statusCode: 200, body: '[]' }) },
 * }
 * // An adapter's entry point accepts either.
 * function serve(gatewayOrInput: GatewayInput | Gateway): Gateway {
 *   return toGateway(gatewayOrInput)
 * }
 * const built = createGateway(input)
 * serve(built) === built // true
 * serve(input).stage // 'prod'
 * ```
 */
export function toGateway(input: GatewayInput | Gateway): Gateway
export function toGateway(input: GatewayInput | GatewayLike): GatewayLike
export function toGateway(input: GatewayInput | GatewayLike): GatewayLike {
  return typeof (input as GatewayLike).dispatch === 'function' ? (input as GatewayLike) : createGateway(input as GatewayInput)
}

/**
 * The definition in the native model: imported from OpenAPI (with the table mapping its pointers back into the
 * document), or given as is.
 */
function loadDefinition(
  input: GatewayInput,
  apiType: ApiType,
  warn: (w: GatewayWarning) => void,
): { definition: ApiDefinition; pointers: PointerTable } {
  if (isOpenApiDocument(input.api)) return importOpenApiDocument(input.api, apiType, warn)
  const definition = input.api as ApiDefinition
  if (!definition.resources || typeof definition.resources !== 'object') {
    if (definition.resources === undefined) {
      // A SAM `DefinitionBody` passed as is (`{ "Fn::Transform": … }`) says so.
      refuseIntrinsics(definition)
      throw unrecognisedDocument(input.api as unknown as Record<string, unknown>)
    }
    throw new GatewayConfigError('INVALID_DEFINITION', 'the API definition needs `resources` (or pass an OpenAPI document)', '/resources')
  }
  refuseIntrinsics(definition)
  return { definition, pointers: new PointerTable() }
}

/** The API type: `apiType` when given (checked against an OpenAPI document's fields), else what the document says. */
function apiTypeOf(input: GatewayInput): ApiType {
  const explicit = input.apiType
  if (explicit !== undefined && explicit !== 'REST' && explicit !== 'HTTP') {
    throw new GatewayConfigError('UNSUPPORTED_FEATURE', `apiType "${toText(explicit)}" is not supported by createGateway`)
  }
  return isOpenApiDocument(input.api) ? detectApiType(input.api, explicit) : (explicit ?? 'REST')
}

function compileApi(
  input: GatewayInput,
  definition: ApiDefinition,
  apiType: ApiType,
  stage: StageDefinition,
  pointers: PointerTable,
): CompiledApi {
  const variables = stage.variables && Object.keys(stage.variables).length > 0 ? { ...stage.variables } : null
  const region = input.region ?? 'us-east-1'
  const apiId = input.apiId ?? shortId(`${definition.name ?? ''}:${apiType}`, 10)
  return {
    apiType,
    apiId,
    accountId: input.accountId ?? '123456789012',
    region,
    stage: stage.stageName,
    stageVariables: variables,
    deploymentId: stage.deploymentId ?? shortId(`${apiId}:${stage.stageName}`, 6),
    tracingEnabled: stage.tracingEnabled === true,
    defaultDomainName: `${apiId}.execute-api.${region}.amazonaws.com`,
    isBinaryType: mediaTypeMatcher(definition.binaryMediaTypes),
    now: input.now ?? Date.now,
    requestId: input.requestId ?? nextRequestId,
    ownRequestIds: input.requestId === undefined,
    allowBacktracking: backtrackingPolicy(input.allowBacktrackingPatterns, pointers),
    onError: input.onError,
    templateLimits: input.templateLimits,
  }
}

/** Every method of the definition as a route: its features' stages, in pipeline order, and its integration. */
function compileRoutes(gateway: GatewayContext): Router<CompiledRoute> {
  const { api, definition, input, warn } = gateway
  const functions = input.functions ?? {}
  const backends = compileHttpBackends(input.httpBackends)
  const routes: { method: string; path: string; value: CompiledRoute }[] = []
  for (const [resourcePath, methods] of Object.entries(definition.resources)) {
    for (const [rawMethod, method] of Object.entries(methods as Record<string, MethodDefinition>)) {
      const httpMethod = rawMethod.toUpperCase()
      const at = pointer('resources', resourcePath, rawMethod)
      const before: Stage[] = []
      const after: AfterStage[] = []
      const respond: AfterStage[] = []
      const names: CompiledRoute['stageNames'] = { before: [], after: [], respond: [] }
      for (const feature of FEATURES) {
        const compiled = feature.compileRoute?.({ ...gateway, method, httpMethod, resourcePath, at })
        if (compiled?.before) {
          before.push(compiled.before)
          names.before.push(feature.name)
        }
        if (compiled?.after) {
          after.push(compiled.after)
          names.after.push(feature.name)
        }
        if (compiled?.respond) {
          respond.push(compiled.respond)
          names.respond.push(feature.name)
        }
      }
      const route: CompiledRoute = {
        resourcePath,
        routeKey: resourcePath === '$default' ? '$default' : `${httpMethod} ${resourcePath}`,
        resourceId: shortId(`${api.apiId}:${resourcePath}`, 6),
        hasParams: resourcePath.includes('{'),
        before,
        after,
        respond,
        staged: before.length + after.length + respond.length > 0,
        stageNames: names,
        integrate: compileIntegration(method.integration as IntegrationDefinition | undefined, {
          api,
          functions,
          aws: input.aws,
          backends,
          at: `${at}/integration`,
          warn,
        }),
      }
      routes.push({ method: httpMethod, path: resourcePath, value: route })
    }
  }
  try {
    return createRouter(routes, {
      decodeParams: api.apiType === 'HTTP',
      greedyLast: api.apiType === 'HTTP',
      rejectVariableSiblings: api.apiType === 'REST',
    })
  } catch (e) {
    if (e instanceof RouterError) throw new GatewayConfigError('INVALID_DEFINITION', e.message, '/resources', { cause: e })
    throw e
  }
}

/**
 * Build a gateway from an API definition. Throws {@link GatewayConfigError} for anything it cannot serve.
 *
 * @example
 * ```ts
 * import { createGateway } from '@gatehousejs/core'
 * const gw = createGateway({
 *   api: {
 *     openapi: '3.0.1',
 *     info: { title: 'pets', version: '1' },
 *     paths: { '/pets/{id}': { get: { 'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: 'getPet' } } } },
 *   },
 *   stage: 'prod',
 *   functions: {
 *     getPet: async (event) => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: event.pathParameters.id }) }),
 *   },
 * })
 * const res = await gw.handle({ method: 'GET', path: '/pets/7', headers: { host: 'api.example.com' } })
 * res.statusCode // 200
 * res.headers['content-type'] // 'application/json'
 * res.body // '{"id":"7"}'
 * ```
 */
export function createGateway(input: GatewayInput): Gateway {
  if (!input || typeof input !== 'object' || !input.api || typeof input.api !== 'object') {
    throw new GatewayConfigError('INVALID_OPTION', '`api` must be an OpenAPI document or an API definition')
  }
  const apiType = apiTypeOf(input)
  const warnings: GatewayWarning[] = []
  // Until the import is done, pointers already name the document; after it, native ones are mapped into it.
  let pointers = new PointerTable()
  const warn = (raw: GatewayWarning) => {
    const w = { ...raw, pointer: pointers.map(raw.pointer) }
    // `strict` refuses what gatehouse does not implement; a shared-cache notice is advice on a working setup.
    if (input.strict && w.code !== 'SHARED_CACHE') throw new GatewayConfigError('UNSUPPORTED_FEATURE', w.message, w.pointer)
    warnings.push(w)
    ;(input.onWarning ?? ((x: GatewayWarning) => console.warn(`gatehouse: ${x.pointer || '/'}: ${x.message}`)))(w)
  }
  const loaded = loadDefinition(input, apiType, warn)
  pointers = loaded.pointers
  try {
    return buildGateway(input, loaded.definition, apiType, warn, warnings, pointers)
  } catch (e) {
    throw e instanceof GatewayConfigError ? mapConfigError(e, pointers) : e
  }
}

/** Everything after the definition is loaded: errors name native pointers, which `createGateway` maps. */
function buildGateway(
  input: GatewayInput,
  definition: ApiDefinition,
  apiType: ApiType,
  warn: (w: GatewayWarning) => void,
  warnings: GatewayWarning[],
  pointers: PointerTable,
): Gateway {
  const stage: StageDefinition =
    typeof input.stage === 'object' ? input.stage : { stageName: input.stage ?? (apiType === 'HTTP' ? '$default' : 'prod') }
  if (!/^[A-Za-z0-9_$-]+$/.test(stage.stageName)) {
    throw new GatewayConfigError('INVALID_OPTION', `invalid stage name "${stage.stageName}"`)
  }
  const api = compileApi(input, definition, apiType, stage, pointers)

  const mapped = input.basePath ?? ''
  if (mapped !== '' && (!mapped.startsWith('/') || mapped.endsWith('/'))) {
    throw new GatewayConfigError('INVALID_OPTION', 'basePath must start with "/" and not end with "/"')
  }
  // `basePath` is a custom domain's base path mapping, as `createDomain` passes it per request: removed before
  // routing, kept in the paths API Gateway reports. The stage in the path (execute-api URLs) is only removed.
  const base = input.stageInPath ? `/${stage.stageName}` : ''
  validateAwsOptions(input.aws)
  const cors = definition.cors ? compileCors(definition.cors, '/x-amazon-apigateway-cors') : null
  const respond = compileGatewayResponses(api, definition.gatewayResponses)
  const state = new GatewayState()
  const gateway: GatewayContext = { api, definition, input, warn, state }
  for (const feature of FEATURES) feature.validate?.(gateway)
  const router = compileRoutes(gateway)
  const early: Stage[] = []
  for (const feature of FEATURES) {
    const stage = feature.compileGateway?.(gateway)
    if (stage) early.push(stage)
  }

  const run = createPipeline({
    api,
    router,
    base,
    mapping: mapped === '' ? undefined : { basePath: mapped },
    maxBodyBytes: input.maxBodyBytes ?? MAX_BODY,
    cors,
    respond,
    passUnmatched: input.unmatched === 'passthrough',
    onError: input.onError,
    early,
    observer: combineObservers([...FEATURES.map((feature) => feature.observe?.(gateway)), ...(input.observers ?? [])]),
  })
  return {
    apiType,
    stage: stage.stageName,
    definition,
    warnings,
    handle: (request, via) => run(request, false, via) as ReturnType<Gateway['handle']>,
    dispatch: (request, via) => run(request, true, via),
    flushStageCache: () => flushStageCache(state),
    stageCacheStats: () => stageCacheStats(state),
  }
}
