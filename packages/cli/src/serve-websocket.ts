/**
 * `gatehouse serve` for a template's WebSocket APIs: each is built with `@gatehousejs/websocket`'s createWebSocketApi
 * and attached to the same node:http server as the REST / HTTP APIs — its `upgrade` event for connections,
 * `/{stage}/@connections/{connectionId}` requests (SigV4) for the management API. Only the functions a WebSocket
 * route or authorizer names are loaded.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import type { LambdaHandler } from '@gatehousejs/core'
import { createMemoryConnectionBus, createWebSocketApi, type ManagementCredentials, type WebSocketApi } from '@gatehousejs/websocket'
import { loadFunctionsModule, loadTemplateFunction, wrapHandler } from './functions'
import { type FunctionSpec, loadTemplate } from './sam'
import { loadWebSocketApis, type WebSocketApiSpec } from './sam/websocket'

/** What the WebSocket APIs of a template are served with (the `gatehouse serve` options they use). */
export interface ServeWebSocketOptions {
  /** The template's path: `CodeUri` is relative to it. */
  file: string
  stage?: string
  parameters?: Record<string, string>
  /** Stage variables added to every API's stage. */
  stageVariables?: Record<string, string>
  /** A `--functions` module: its exports stand in for template functions, by logical id or function name. */
  functions?: string
  /** Handlers given in process, by logical id or function name (before `functions` and the template's code). */
  handlers?: Record<string, LambdaHandler>
  /**
   * Handlers already loaded and wrapped for the template, keyed by function ARN and name (what buildApis loads for
   * the REST / HTTP APIs): used as they are, so a function's module is loaded once for every API.
   */
  loaded?: Record<string, LambdaHandler>
  /**
   * Keys the `@connections` endpoint accepts. Default: `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` of this process,
   * which an in-process function's AWS SDK client signs with.
   */
  credentials?: ManagementCredentials[]
  /** Where warnings and errors go (default stderr). */
  err?: (line: string) => void
}

/** The WebSocket APIs served on a server. */
export interface ServedWebSocketApis {
  apis: { logicalId: string; stage: string; api: WebSocketApi; routes: string[] }[]
  /** What `serve` prints: each API with its URL path and routes. */
  lines: string[]
  /** Handler files loaded, for `--watch`. */
  files: string[]
  /** Answers `/{stage}/@connections/…` and returns true; false for a request it does not own. */
  handleRequest(req: IncomingMessage, res: ServerResponse): boolean
  /** Detaches from the server, closes every connection (1001) and waits for `$disconnect`. */
  close(): Promise<void>
}

const INVOCATION = /^arn:aws[\w-]*:apigateway:[^:]*:lambda:path\/[^/]+\/functions\/(.+)\/invocations$/
const CONNECTIONS_PATH = /^\/([^/]+)\/@connections\/[^/]+$/

/**
 * Build the template's WebSocket APIs and attach them to `server` (nothing is attached when it has none). Throws
 * when an API does not build, after closing the ones built before it.
 *
 * @example
 * ```ts
 * let ws: ServedWebSocketApis | undefined
 * const server = createServer((req, res) => ws?.handleRequest(req, res) || gateway(req, res))
 * ws = await serveWebSocketApis(readDefinitionFile('template.yaml'), server, { file: 'template.yaml' })
 * for (const line of ws.lines) console.log(line)
 * ```
 */
export async function serveWebSocketApis(
  template: Record<string, unknown>,
  server: Server,
  options: ServeWebSocketOptions,
): Promise<ServedWebSocketApis> {
  const err = options.err ?? ((line: string) => process.stderr.write(`${line}\n`))
  const warn = (message: string) => err(`warning: ${message}`)
  const specs = loadWebSocketApis(template, {
    warn,
    ...(options.parameters ? { parameterOverrides: options.parameters } : {}),
    ...(options.stage ? { stageName: options.stage } : {}),
  })
  const served: ServedWebSocketApis = { apis: [], lines: [], files: [], handleRequest: () => false, close: async () => undefined }
  if (specs.length === 0) return served

  const { functions, files } = await loadFunctions(template, specs, options, err)
  served.files = files
  const credentials = options.credentials ?? credentialsFromEnvironment()
  // One server, one `@connections` path per stage name: APIs sharing a stage name reach each other's connections.
  const connectionBus = createMemoryConnectionBus()
  try {
    for (const spec of specs) {
      const api = createWebSocketApi({
        api: spec.definition,
        stage: spec.stage,
        functions,
        apiId:
          spec.logicalId
            .replace(/[^A-Za-z0-9]/g, '')
            .slice(0, 10)
            .toLowerCase() || 'local',
        credentials,
        connectionBus,
        stageVariables: { ...spec.stageVariables, ...options.stageVariables },
        ...(spec.defaultRouteSettings ? { defaultRouteSettings: spec.defaultRouteSettings } : {}),
        ...(spec.routeSettings ? { routeSettings: spec.routeSettings } : {}),
        ...(spec.usagePlans ? { usagePlans: spec.usagePlans } : {}),
        onError: (error, info) =>
          err(
            `error ${info.routeKey} ${info.connectionId || '-'} (${spec.logicalId}): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
          ),
      })
      served.apis.push({ logicalId: spec.logicalId, stage: spec.stage, api, routes: Object.keys(spec.definition.routes) })
    }
  } catch (error) {
    await Promise.all(served.apis.map((a) => a.api.close()))
    const which = specs[served.apis.length]?.logicalId
    throw new Error(`${which}: ${error instanceof Error ? error.message : String(error)}`, { cause: error })
  }

  const several = served.apis.length > 1
  for (const { logicalId, stage, routes } of served.apis) {
    const path = several ? `/${logicalId}/${stage}` : `/${stage}`
    served.lines.push(`${logicalId} (WEBSOCKET, stage ${stage}) ws://<host>${path}  @connections on /${stage}/@connections/{id}`)
    for (const key of routes) {
      const route = specOf(specs, logicalId)?.definition.routes[key]
      const integration = route?.integration
      const target = integration?.uri ? (functionNameOf(integration.uri) ?? integration.uri) : ''
      const auth =
        route?.authorizationType === 'CUSTOM'
          ? `  authorizer ${route.authorizerId}`
          : route?.authorizationType === 'AWS_IAM'
            ? '  AWS_IAM'
            : ''
      served.lines.push(
        `  ${key}  ${integration?.type ?? '(no integration)'}${target ? ` ${target}` : ''}${route?.routeResponseSelectionExpression ? '  two-way' : ''}${auth}${route?.apiKeyRequired ? '  key required' : ''}`,
      )
    }
  }

  // One API takes every upgrade; with several, the first path segment names the API (else the first one).
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const segment = decodeSegment((req.url ?? '/').split('?')[0]!.split('/')[1] ?? '')
    const chosen = (several && served.apis.find((a) => a.logicalId === segment)) || served.apis[0]!
    chosen.api.handleUpgrade(req, socket, head)
  }
  server.on('upgrade', onUpgrade)
  served.handleRequest = (req, res) => {
    const m = CONNECTIONS_PATH.exec((req.url ?? '/').split('?')[0]!)
    if (!m) return false
    const stage = decodeSegment(m[1]!)
    const owner = served.apis.find((a) => a.stage === stage)
    if (!owner) return false
    owner.api.managementHandler(req, res)
    return true
  }
  served.close = async () => {
    server.off('upgrade', onUpgrade)
    await Promise.all(served.apis.map((a) => a.api.close()))
  }
  return served
}

function specOf(specs: WebSocketApiSpec[], logicalId: string): WebSocketApiSpec | undefined {
  return specs.find((s) => s.logicalId === logicalId)
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

/** The function an integration or authorizer URI names: its name, from an invocation URI or an ARN. */
function functionNameOf(uri: string): string | undefined {
  const arn = INVOCATION.exec(uri)?.[1] ?? uri
  const m = /^arn:aws[\w-]*:lambda:[^:]*:[^:]*:function:([^:]+)/.exec(arn)
  return m ? m[1] : undefined
}

function credentialsFromEnvironment(): ManagementCredentials[] {
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = process.env
  return accessKeyId && secretAccessKey ? [{ accessKeyId, secretAccessKey }] : []
}

/** Handlers for every function the APIs name: given, from the `--functions` module, the template's code, or a stand-in that fails. */
async function loadFunctions(
  template: Record<string, unknown>,
  specs: WebSocketApiSpec[],
  options: ServeWebSocketOptions,
  err: (line: string) => void,
): Promise<{ functions: Record<string, LambdaHandler>; files: string[] }> {
  const uris = new Set<string>()
  for (const spec of specs) {
    for (const route of Object.values(spec.definition.routes)) {
      const i = route.integration
      if (i?.uri && (i.type === 'AWS_PROXY' || i.type === 'AWS')) uris.add(i.uri)
    }
    for (const a of Object.values(spec.definition.authorizers ?? {})) uris.add(a.authorizerUri)
  }
  // The template's functions, as the REST / HTTP loader reads them (its warnings are printed by that loader).
  let project: { functions: FunctionSpec[]; skipped: { logicalId: string; name: string; reason: string }[] }
  try {
    project = loadTemplate(template, options.file, {
      warn: () => undefined,
      ...(options.parameters ? { parameterOverrides: options.parameters } : {}),
    })
  } catch {
    project = { functions: [], skipped: [] }
  }
  // The --functions module is loaded only when a function is neither given nor already loaded.
  let module: Awaited<ReturnType<typeof loadFunctionsModule>> | undefined
  const fromModule = async (...names: string[]): Promise<LambdaHandler | undefined> => {
    if (!options.functions) return undefined
    module ??= await loadFunctionsModule(options.functions)
    for (const n of names) if (module.handlers[n]) return module.handlers[n]
    return undefined
  }
  const functions: Record<string, LambdaHandler> = {}
  const files: string[] = []
  const failing =
    (message: string): LambdaHandler =>
    async () => {
      throw new Error(message)
    }
  for (const uri of uris) {
    const name = functionNameOf(uri) ?? uri
    const spec = project.functions.find((f) => f.name === name)
    if (spec) {
      if (functions[spec.arn]) continue
      const given = options.handlers?.[spec.logicalId] ?? options.handlers?.[spec.name]
      let handler = given
        ? wrapHandler(given, spec.environment, spec.timeoutSeconds)
        : (options.loaded?.[spec.arn] ?? options.loaded?.[spec.name])
      if (!handler) {
        const exported = await fromModule(spec.logicalId, spec.name)
        if (exported) handler = wrapHandler(exported, spec.environment, spec.timeoutSeconds)
      }
      if (!handler) {
        try {
          const loaded = await loadTemplateFunction(spec, {})
          files.push(loaded.file)
          handler = loaded.handler
        } catch (error) {
          err(`error: ${spec.logicalId} did not load: ${error instanceof Error ? error.message : String(error)}`)
          handler = failing(`${spec.logicalId} did not load`)
        }
      }
      functions[spec.arn] = handler
      functions[spec.name] = handler
      continue
    }
    const given = options.handlers?.[name] ?? options.loaded?.[uri] ?? options.loaded?.[name] ?? (await fromModule(name))
    const skipped = project.skipped.find((s) => s.name === name)
    if (!given)
      err(
        `warning: ${uri}: ${skipped ? `${skipped.logicalId} is not run locally (${skipped.reason})` : 'no function of the template'}; its routes fail`,
      )
    functions[uri] =
      given ??
      failing(skipped ? `${skipped.logicalId} is not run by gatehouse: ${skipped.reason}` : `${name} is not a function of the template`)
  }
  if (module) files.unshift(module.file)
  return { functions, files }
}
