/**
 * Building the gateways of a definition file — an OpenAPI document or a SAM / CloudFormation template — the one
 * implementation behind `serve`, `routes`, `validate`, `invoke`, `export` and `sdk`.
 */
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import {
  createGateway,
  GatewayConfigError,
  type Gateway,
  type GatewayInput,
  type LambdaHandler,
  type StageDefinition,
} from '@gatehousejs/core'
import { loadFunctionsModule, loadTemplateFunction, wrapHandler } from './functions'
import { documentKind, readDefinitionFile } from './parse'
import { loadTemplate, type ApiSpec } from './sam'
import { webSocketResourceIds } from './sam/websocket'

/** What the gateways of a file are built from. */
export interface BuildOptions {
  file: string
  stage?: string
  functions?: string
  envVars?: string
  parameters?: Record<string, string>
  stageVariables?: Record<string, string>
  /**
   * Build without running any code: every Lambda integration and authorizer gets a stand-in that throws (for
   * `routes`, `validate`, `export`, `sdk`, which read the definition only).
   */
  stubFunctions?: boolean
  /** Report a failing API in `failures` and go on with the next one (`validate`), instead of throwing. */
  collectFailures?: boolean
  /** Extra gateway input for every API (the store, `onError`, …). */
  input?: Partial<GatewayInput>
  /** Change each API's stage before it is built (`invoke` turns execution logging on). */
  adjustStage?: (stage: StageDefinition) => StageDefinition
  /** Values of keys SAM would generate, kept across rebuilds. */
  generatedKeys?: Map<string, string>
}

/** A warning about the file: where (the API and the JSON pointer in its document, when there is one) and what. */
export interface BuildWarning {
  api?: string
  pointer?: string
  code?: string
  message: string
}

/** A built API: its gateway, name, the stage it was built with and the document it came from. */
export interface BuiltApi {
  gateway: Gateway
  name: string
  stage: StageDefinition
  /** The OpenAPI document (as written, intrinsics resolved for a template). */
  document: Record<string, unknown>
}

/** Everything built from a file. */
export interface Built {
  apis: BuiltApi[]
  /** Every file read, for `--watch`. */
  files: string[]
  /** Things to tell the user (generated API keys). */
  notes: string[]
  warnings: BuildWarning[]
  /** With `collectFailures`: each API that did not build, with its error. */
  failures: { api: string; error: unknown }[]
  /** The handlers loaded, by function ARN and name (the template's WebSocket APIs use them too). */
  functions: Record<string, LambdaHandler>
}

/** A `functions` map that has a stand-in for every name (a definition is built without its code). */
function stubFunctions(): Record<string, LambdaHandler> {
  const stub: LambdaHandler = async () => {
    throw new Error('gatehouse: this gateway was built without its functions')
  }
  return new Proxy({} as Record<string, LambdaHandler>, {
    get: (_target, key) => (typeof key === 'string' ? stub : undefined),
    has: () => true,
  })
}

function stringValues(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)]))
}

/**
 * As core detects it: an HTTP API's export marks, CORS extension or `$default` path.
 *
 * @example
 * ```ts
 * looksLikeHttpApi({ openapi: '3.0.1', paths: { $default: {} } }) // true
 * ```
 */
export function looksLikeHttpApi(doc: Record<string, unknown>): boolean {
  return (
    doc['x-amazon-apigateway-importexport-version'] !== undefined ||
    doc['x-amazon-apigateway-cors'] !== undefined ||
    Object.hasOwn((doc.paths ?? {}) as object, '$default')
  )
}

/**
 * Build one gateway per API of the file.
 *
 * @example
 * ```ts
 * const built = await buildApis({ file: 'openapi.yaml', stubFunctions: true })
 * built.apis[0]?.gateway.definition.resources // { '/pets': { GET: … } }
 * ```
 */
export async function buildApis(options: BuildOptions): Promise<Built> {
  const warnings: BuildWarning[] = []
  const warn = (message: string) => warnings.push({ message })
  const envVars = options.envVars ? (JSON.parse(readFileSync(options.envVars, 'utf8')) as Record<string, Record<string, unknown>>) : {}
  const doc = readDefinitionFile(options.file)
  const files = [options.file]
  const notes: string[] = []
  let apis: ApiSpec[]
  let functions: Record<string, LambdaHandler> = {}
  const moduleHandlers = options.functions && !options.stubFunctions ? await loadFunctionsModule(options.functions) : undefined
  if (moduleHandlers) files.push(moduleHandlers.file)
  if (options.envVars) files.push(options.envVars)

  if (documentKind(doc) === 'openapi') {
    // No template declares the variables: `Parameters` go to process.env, a handler's own entry around its calls.
    if (!options.stubFunctions) for (const [k, v] of Object.entries(envVars.Parameters ?? {})) process.env[k] = String(v)
    for (const [name, handler] of Object.entries(moduleHandlers?.handlers ?? {})) {
      const own = envVars[name]
      functions[name] = own ? wrapHandler(handler, stringValues(own), 900) : handler
    }
    for (const name of Object.keys(envVars)) {
      if (name !== 'Parameters' && !(name in functions)) warn(`--env-vars: ${name} is no exported function; ignored`)
    }
    const stage: StageDefinition = { stageName: options.stage ?? (looksLikeHttpApi(doc) ? '$default' : 'prod') }
    apis = [{ logicalId: basename(options.file), document: doc, stage, apiKeys: [], usagePlans: [] }]
  } else {
    const project = loadTemplate(doc, options.file, {
      warn,
      generatedKeys: options.generatedKeys ?? new Map(),
      ...(options.parameters ? { parameterOverrides: options.parameters } : {}),
      ...(options.stage ? { stageName: options.stage } : {}),
    })
    files.push(...project.files)
    apis = project.apis
    const shared = stringValues(envVars.Parameters ?? {})
    for (const spec of options.stubFunctions ? [] : project.functions) {
      // As `sam local`: only variables the template declares for the function are overridden.
      const own = stringValues(envVars[spec.logicalId] ?? {})
      const overrides: Record<string, string> = {}
      for (const [k, v] of Object.entries({ ...shared, ...own })) {
        if (k in spec.environment) overrides[k] = v
        else if (k in own)
          warn(`--env-vars: ${spec.logicalId}.${k} is not declared in the function's Environment; ignored (as sam local does)`)
      }
      const fromModule = moduleHandlers?.handlers[spec.logicalId] ?? moduleHandlers?.handlers[spec.name]
      let handler: LambdaHandler
      if (fromModule) {
        handler = wrapHandler(fromModule, { ...spec.environment, ...overrides }, spec.timeoutSeconds)
      } else {
        const loaded = await loadTemplateFunction(spec, overrides)
        files.push(loaded.file)
        handler = loaded.handler
      }
      functions[spec.arn] = handler
      functions[spec.name] = handler
    }
    for (const name of Object.keys(envVars)) {
      if (name !== 'Parameters' && !project.functions.some((f) => f.logicalId === name))
        warn(`--env-vars: ${name} is no Node.js function of the template; ignored`)
    }
    for (const skipped of project.skipped) {
      const fail: LambdaHandler = async () => {
        throw new Error(`${skipped.logicalId} is not run by gatehouse: ${skipped.reason}`)
      }
      functions[skipped.arn] = fail
      functions[skipped.name] = fail
    }
    for (const api of apis) {
      for (const key of api.apiKeys) if (key.generated) notes.push(`API key for ${api.logicalId} (generated locally): ${key.value}`)
    }
  }
  functions = options.stubFunctions ? stubFunctions() : { ...functions }
  if (apis.length === 0 && webSocketResourceIds(doc).size === 0) throw new Error(`${options.file}: no API to serve`)

  const built: BuiltApi[] = []
  const failures: Built['failures'] = []
  apis.forEach((api, i) => {
    let stage: StageDefinition = { ...api.stage, variables: { ...api.stage.variables, ...options.stageVariables } }
    if (options.adjustStage) stage = options.adjustStage(stage)
    if (options.stubFunctions) stage.variables = { ...placeholderStageVariables(api.document), ...stage.variables }
    try {
      const gateway = createGateway({
        ...options.input,
        api: api.document,
        ...(api.apiType ? { apiType: api.apiType } : {}),
        stage,
        functions,
        apiId:
          api.logicalId
            .replace(/[^A-Za-z0-9]/g, '')
            .slice(0, 10)
            .toLowerCase() || 'local',
        ...(api.apiKeys.length > 0 ? { apiKeys: api.apiKeys.map(({ id, name, value, enabled }) => ({ id, name, value, enabled })) } : {}),
        ...(api.usagePlans.length > 0
          ? { usagePlans: api.usagePlans.map((p) => ({ ...p, apiStages: [{ stage: stage.stageName }] })) }
          : {}),
        // Every API but the last hands a request it has no route for to the next one.
        unmatched: i < apis.length - 1 ? 'passthrough' : 'respond',
        onWarning: (w) => warnings.push({ api: api.logicalId, pointer: w.pointer, code: w.code, message: w.message }),
      })
      built.push({ gateway, name: api.logicalId, stage, document: api.document })
    } catch (error) {
      if (!options.collectFailures) throw error
      failures.push({ api: api.logicalId, error })
    }
  })
  return { apis: built, files: [...new Set(files)], notes, warnings, failures, functions }
}

/**
 * A value for every stage variable the document names (`${stageVariables.x}`), for a build that runs nothing: a
 * URL where the variable starts a URL-like value, a name elsewhere. The definition keeps the references as written.
 *
 * @example
 * ```ts
 * placeholderStageVariables({ uri: '${stageVariables.backend}/pets' }) // { backend: 'https://stage-variable.invalid' }
 * ```
 */
export function placeholderStageVariables(doc: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  const text = JSON.stringify(doc)
  for (const m of text.matchAll(/(.)\$\{stageVariables\.([A-Za-z0-9_]+)\}(.)/g)) {
    const name = m[2] as string
    const urlLike = m[1] === '"' && (m[3] === '/' || m[3] === '"')
    if (!(name in out) || urlLike) out[name] = urlLike ? 'https://stage-variable.invalid' : 'stagevariable'
  }
  return out
}

/**
 * A warning as one line: `api /pointer: message`.
 *
 * @example
 * ```ts
 * formatWarning({ api: 'openapi.yaml', pointer: '/paths/~1a/get', message: 'operation has no integration' })
 * // 'openapi.yaml /paths/~1a/get: operation has no integration'
 * ```
 */
export function formatWarning(w: BuildWarning): string {
  return `${w.api ?? ''}${w.pointer ? ` ${w.pointer}` : ''}${w.api !== undefined || w.pointer ? ': ' : ''}${w.message}`
}

/**
 * The JSON pointer of a failure, when it is a `GatewayConfigError` that has one.
 *
 * @example
 * ```ts
 * failurePointer(new GatewayConfigError('INVALID_DEFINITION', 'bad', '/paths/~1a')) // '/paths/~1a'
 * failurePointer(new Error('x')) // undefined
 * ```
 */
export function failurePointer(error: unknown): string | undefined {
  return error instanceof GatewayConfigError ? error.pointer : undefined
}
