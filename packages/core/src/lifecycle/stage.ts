/**
 * A stage with deployments and a canary, as API Gateway keeps them: a deployment is an immutable snapshot of the
 * definition; the stage points at one, and moving it (a new deployment, a rollback) is atomic while it serves —
 * a request finishes on the deployment it started on. A canary sends `percentTraffic` % of the requests to another
 * deployment, with its own stage-variable overrides; `$context.isCanaryRequest` says which side took a request.
 * Promoting makes the canary's deployment (and, by default, its variables) the stage's.
 *
 * The stage's throttles, quotas and usage plans outlive its deployments: every deployment's gateway shares one
 * throttle store and one usage-plan registry. The stage cache is the gateway's own unless `cache` is given (then
 * the canary shares it only with `useStageCache`).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-deploy-api.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/canary-release.html
 */
import { randomBytes } from 'node:crypto'
import { createMemoryStore } from '@gatehousejs/throttle'
import { createGateway } from '../build'
import { GatewayConfigError } from '../errors'
import { createUsagePlanRegistry } from '../features/usage-plans/registry'
import type { UsagePlanDefinition, UsagePlanRegistry } from '../features/usage-plans/types'
import type { Gateway, Passthrough } from '../gateway'
import type { GatewayInput, StageDefinition } from '../options'
import type { GatewayRequest, GatewayResponse } from '../types'

/** One deployment: a frozen copy of the definition it was made from. */
export interface Deployment {
  readonly id: string
  readonly createdDate: Date
  readonly description: string | undefined
  /** The definition as deployed (deep-frozen: later changes to the caller's object do not reach it). */
  readonly api: GatewayInput['api']
}

/** A stage's canary (API Gateway's `canarySettings`). */
export interface CanarySettings {
  deploymentId: string
  /** 0–100: the share of requests the canary takes. */
  percentTraffic: number
  /** Stage variables the canary sees instead of the stage's. */
  stageVariableOverrides?: Record<string, string>
  /** With a shared `cache` store: whether the canary reads and writes the stage's cache (default false). */
  useStageCache?: boolean
}

/** Options of {@link createStage}: a gateway input (its `api` is the first deployment) and the canary's dice. */
export interface StageOptions extends GatewayInput {
  /** A number in [0, 1) per request, to split traffic (default `Math.random`; seed it in tests). */
  random?: () => number
}

/** A stage: a `Gateway` (for every adapter) whose deployment and canary change while it serves. */
export interface Stage extends Gateway {
  /** Snapshot a definition; the stage keeps serving what it served until `deploy`. */
  createDeployment(api: GatewayInput['api'], options?: { description?: string }): Deployment
  /** Point the stage at a deployment (a new one, or an older one to roll back). */
  deploy(deploymentId: string): void
  /** Set, change or (with null) remove the canary. */
  updateCanary(settings: CanarySettings | null): void
  /** The canary's deployment becomes the stage's; its overrides become stage variables unless `stageVariables: false`. */
  promoteCanary(options?: { stageVariables?: boolean }): void
  readonly deploymentId: string
  readonly deployments: readonly Deployment[]
  /** Each deployment the stage pointed at, oldest first. */
  readonly history: readonly { deploymentId: string; at: Date }[]
  readonly canary: Readonly<CanarySettings> | undefined
}

function isPlanList(value: NonNullable<GatewayInput['usagePlans']>): value is readonly UsagePlanDefinition[] {
  return Array.isArray(value)
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const v of Object.values(value)) deepFreeze(v)
  }
  return value
}

function snapshot(api: GatewayInput['api']): GatewayInput['api'] {
  try {
    return deepFreeze(structuredClone(api))
  } catch (e) {
    throw new GatewayConfigError('INVALID_OPTION', 'a deployment is a copy of its definition: the definition must be plain data', '', {
      cause: e,
    })
  }
}

function checkCanary(c: CanarySettings, known: (id: string) => boolean): CanarySettings {
  if (!c || typeof c !== 'object') throw new GatewayConfigError('INVALID_OPTION', 'canary settings must be an object')
  if (!known(c.deploymentId)) throw new GatewayConfigError('INVALID_OPTION', `canary: no deployment "${String(c.deploymentId)}"`)
  if (typeof c.percentTraffic !== 'number' || !(c.percentTraffic >= 0 && c.percentTraffic <= 100)) {
    throw new GatewayConfigError('INVALID_OPTION', 'canary percentTraffic must be a number from 0 to 100')
  }
  const overrides = c.stageVariableOverrides ?? {}
  for (const [k, v] of Object.entries(overrides)) {
    if (typeof v !== 'string') throw new GatewayConfigError('INVALID_OPTION', `canary stage variable override "${k}" must be a string`)
  }
  return { ...c, stageVariableOverrides: { ...overrides } }
}

/**
 * A stage with deployments and a canary.
 *
 * @example
 * ```ts
 * import { createStage } from '@gatehousejs/core'
 * const stage = createStage({ api: v1, stage: 'prod', functions, random: seeded(42) })
 * const v2 = stage.createDeployment(nextVersionOfTheApi, { description: 'v2' })
 * stage.updateCanary({ deploymentId: v2.id, percentTraffic: 10, stageVariableOverrides: { lambdaAlias: 'next' } })
 * stage.promoteCanary() // all traffic on v2
 * stage.deploy(stage.history[0].deploymentId) // roll back
 * createServer(createHandler(stage)).listen(3000)
 * ```
 */
export function createStage(options: StageOptions): Stage {
  const { random = Math.random, ...input } = options
  if (typeof random !== 'function') throw new GatewayConfigError('INVALID_OPTION', '`random` must be a function returning [0, 1)')
  const base: StageDefinition =
    typeof input.stage === 'object' ? { ...input.stage } : { stageName: input.stage ?? (input.apiType === 'HTTP' ? '$default' : 'prod') }
  // What outlives deployments: one throttle store and one usage-plan registry for every gateway of the stage.
  const store = input.store ?? createMemoryStore()
  const given = input.usagePlans
  const usagePlans: UsagePlanRegistry | undefined =
    given !== undefined && !isPlanList(given)
      ? given
      : given !== undefined || input.apiKeys !== undefined
        ? createUsagePlanRegistry({
            apiKeys: input.apiKeys ?? [],
            usagePlans: given ?? [],
            store,
            ...(input.now ? { now: input.now } : {}),
          })
        : undefined
  const shared: Partial<GatewayInput> = { store, ...(usagePlans ? { usagePlans } : {}) }
  const cacheKey = input.cacheEncryptionKey ?? randomBytes(32)

  const deployments = new Map<string, Deployment>()
  const history: { deploymentId: string; at: Date }[] = []
  let variables = { ...(base.variables ?? {}) }
  let current!: { deployment: Deployment; gateway: Gateway }
  let canary: { settings: CanarySettings; gateway: Gateway } | undefined

  function build(deployment: Deployment, vars: Record<string, string>, ownCache: boolean): Gateway {
    const { apiKeys: _keys, ...rest } = input
    return createGateway({
      ...rest,
      ...shared,
      api: deployment.api,
      stage: { ...base, variables: vars, deploymentId: deployment.id },
      // A canary without `useStageCache` keeps its own cache: a given store is not shared with it.
      ...(ownCache ? { cache: undefined, cacheEncryptionKey: randomBytes(32) } : { cacheEncryptionKey: cacheKey }),
    })
  }

  function deployment(id: string): Deployment {
    const d = deployments.get(id)
    if (!d) throw new GatewayConfigError('INVALID_OPTION', `no deployment "${String(id)}"`)
    return d
  }

  function createDeployment(api: GatewayInput['api'], opts: { description?: string } = {}): Deployment {
    let id: string
    do id = randomBytes(4).readUInt32BE(0).toString(36).padStart(6, '0').slice(-6)
    while (deployments.has(id))
    const d: Deployment = Object.freeze({
      id,
      createdDate: new Date(input.now?.() ?? Date.now()),
      description: opts.description,
      api: snapshot(api),
    })
    deployments.set(id, d)
    return d
  }

  function deploy(id: string): void {
    const d = deployment(id)
    // Built first: a definition that does not build leaves the stage as it was.
    const gateway = build(d, variables, false)
    current = { deployment: d, gateway }
    history.push({ deploymentId: id, at: new Date(input.now?.() ?? Date.now()) })
  }

  function updateCanary(settings: CanarySettings | null): void {
    if (settings === null) {
      canary = undefined
      return
    }
    const c = checkCanary(settings, (id) => deployments.has(id))
    const gateway = build(deployment(c.deploymentId), { ...variables, ...c.stageVariableOverrides }, c.useStageCache !== true)
    canary = { settings: c, gateway }
  }

  function promoteCanary(opts: { stageVariables?: boolean } = {}): void {
    if (!canary) throw new GatewayConfigError('INVALID_OPTION', 'the stage has no canary to promote')
    const { settings } = canary
    if (opts.stageVariables !== false) variables = { ...variables, ...settings.stageVariableOverrides }
    canary = undefined
    deploy(settings.deploymentId)
  }

  /** The gateway a request goes to, and whether it is the canary's (undefined: the stage has none). */
  function pick(): { gateway: Gateway; canary: boolean | undefined } {
    const c = canary
    if (c === undefined) return { gateway: current.gateway, canary: undefined }
    const toCanary = random() * 100 < c.settings.percentTraffic
    return { gateway: toCanary ? c.gateway : current.gateway, canary: toCanary }
  }

  deploy(createDeployment(input.api).id)

  return {
    get apiType() {
      return current.gateway.apiType
    },
    get stage() {
      return current.gateway.stage
    },
    get definition() {
      return current.gateway.definition
    },
    get warnings() {
      return current.gateway.warnings
    },
    get deploymentId() {
      return current.deployment.id
    },
    get deployments() {
      return [...deployments.values()]
    },
    get history() {
      return history.map((h) => ({ ...h }))
    },
    get canary() {
      return canary ? { ...canary.settings } : undefined
    },
    createDeployment,
    deploy,
    updateCanary,
    promoteCanary,
    handle(request: GatewayRequest, via): Promise<GatewayResponse> {
      const { gateway, canary: isCanary } = pick()
      return gateway.handle(request, isCanary === undefined ? via : { ...via, canary: isCanary })
    },
    dispatch(request: GatewayRequest, via): Promise<GatewayResponse | Passthrough> {
      const { gateway, canary: isCanary } = pick()
      return gateway.dispatch(request, isCanary === undefined ? via : { ...via, canary: isCanary })
    },
    async flushStageCache() {
      await current.gateway.flushStageCache()
      await canary?.gateway.flushStageCache()
    },
    stageCacheStats: () => current.gateway.stageCacheStats(),
  }
}
