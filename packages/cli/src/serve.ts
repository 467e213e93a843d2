/**
 * `gatehouse serve`: build one gateway per API of a definition file, serve them on node:http, log each request
 * and every error, and with `watch` rebuild on change while keeping the process, its server and its state stores.
 */
import { readFileSync, unwatchFile, watchFile } from 'node:fs'
import { basename } from 'node:path'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  createGateway,
  type Gateway,
  type GatewayRequest,
  type GatewayResponse,
  type LambdaHandler,
  type StageDefinition,
} from '@gatehousejs/core'
import { DEFAULT_BODY_LIMIT, serveNode } from '@gatehousejs/core/node'
import { loadFunctionsModule, loadTemplateFunction, wrapHandler } from './functions'
import { documentKind, readDefinitionFile } from './parse'
import { routeTable } from './routes'
import { createMemoryStore } from '@gatehousejs/throttle'
import { loadTemplate, type ApiSpec } from './sam'

/** What `gatehouse serve` is given. */
export interface ServeOptions {
  /** The OpenAPI document or SAM / CloudFormation template. */
  file: string
  /** Serve under this stage name (default: the template's, else `prod` / `$default`). */
  stage?: string
  port?: number
  /** Default `127.0.0.1`. */
  host?: string
  /** A module whose exported functions are handlers (by export name; for a template, by logical id or name too). */
  functions?: string
  /** `sam local`'s `--env-vars` file: `{ "<LogicalId>": { VAR: value }, "Parameters": { VAR: value } }`. */
  envVars?: string
  /** Template parameter overrides. */
  parameters?: Record<string, string>
  /** Stage variables added to every API's stage. */
  stageVariables?: Record<string, string>
  watch?: boolean
  /** Where lines go (default: stdout / stderr). */
  out?: (line: string) => void
  err?: (line: string) => void
}

/** A running `gatehouse serve`. */
export interface RunningServer {
  url: string
  server: Server
  /** Rebuild now (what `--watch` does on a change); resolves to false when the definition did not build. */
  reload(): Promise<boolean>
  close(): Promise<void>
}

interface Built {
  gateways: { gateway: Gateway; name: string }[]
  files: string[]
  notes: string[]
}

/**
 * Start serving.
 *
 * @example
 * ```ts
 * const running = await serve({ file: 'template.yaml', port: 3000 })
 * console.log(running.url)
 * await running.close()
 * ```
 */
export async function serve(options: ServeOptions): Promise<RunningServer> {
  const out = options.out ?? ((line: string) => process.stdout.write(`${line}\n`))
  const err = options.err ?? ((line: string) => process.stderr.write(`${line}\n`))
  // State that outlives a reload: throttle buckets, quotas and usage; generated API key values.
  // One store for the life of the process: a reload keeps unchanged plans' counts (see the memory store).
  const store = createMemoryStore()
  const generatedKeys = new Map<string, string>()

  const build = async (): Promise<Built> => {
    const warnings: string[] = []
    const warn = (message: string) => warnings.push(message)
    const envVars = options.envVars ? (JSON.parse(readFileSync(options.envVars, 'utf8')) as Record<string, Record<string, unknown>>) : {}
    const doc = readDefinitionFile(options.file)
    const files = [options.file]
    const notes: string[] = []
    let apis: ApiSpec[]
    let functions: Record<string, LambdaHandler> = {}
    const moduleHandlers = options.functions ? await loadFunctionsModule(options.functions) : undefined
    if (moduleHandlers) files.push(moduleHandlers.file)
    if (options.envVars) files.push(options.envVars)

    if (documentKind(doc) === 'openapi') {
      // No template declares the variables: `Parameters` go to process.env, a handler's own entry around its calls.
      for (const [k, v] of Object.entries(envVars.Parameters ?? {})) process.env[k] = String(v)
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
        generatedKeys,
        ...(options.parameters ? { parameterOverrides: options.parameters } : {}),
        ...(options.stage ? { stageName: options.stage } : {}),
      })
      files.push(...project.files)
      apis = project.apis
      const shared = stringValues(envVars.Parameters ?? {})
      for (const spec of project.functions) {
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
          throw new Error(`${skipped.logicalId} is not run by gatehouse serve: ${skipped.reason}`)
        }
        functions[skipped.arn] = fail
        functions[skipped.name] = fail
      }
      for (const api of apis) {
        for (const key of api.apiKeys) if (key.generated) notes.push(`API key for ${api.logicalId} (generated locally): ${key.value}`)
      }
    }
    functions = { ...functions }
    if (apis.length === 0) throw new Error(`${options.file}: no API to serve`)

    const gateways = apis.map((api, i) => {
      const stage = { ...api.stage, variables: { ...api.stage.variables, ...options.stageVariables } }
      const gateway = createGateway({
        api: api.document,
        ...(api.apiType ? { apiType: api.apiType } : {}),
        stage,
        functions,
        store,
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
        onWarning: (w) => warn(`${api.logicalId}${w.pointer ? ` ${w.pointer}` : ''}: ${w.message}`),
        onError: (error, info) =>
          err(
            `error ${info.requestId ?? '-'} ${info.routeKey ?? '-'} (${info.stage}${info.responseType ? `, ${info.responseType}` : ''}): ${
              error instanceof Error ? (error.stack ?? error.message) : String(error)
            }`,
          ),
      })
      return { gateway, name: api.logicalId }
    })
    for (const w of warnings) err(`warning: ${w}`)
    return { gateways, files: [...new Set(files)], notes }
  }

  let current = await build()
  const run = async (request: GatewayRequest): Promise<GatewayResponse> => {
    const started = performance.now()
    const { gateways } = current
    let response: GatewayResponse | undefined
    for (const { gateway } of gateways) {
      const result = await gateway.dispatch(request)
      if ((result as { passthrough?: boolean }).passthrough !== true) {
        response = result as GatewayResponse
        break
      }
    }
    // The last gateway answers unmatched requests itself, so a passthrough cannot reach here.
    const answer = response ?? { statusCode: 404, headers: {}, body: '{"message":"Not Found"}' }
    const ms = (performance.now() - started).toFixed(1)
    const id = header(answer.headers, 'x-amzn-requestid') ?? header(answer.headers, 'apigw-requestid') ?? '-'
    out(`${request.method} ${request.path}${request.query ? `?${request.query}` : ''} ${answer.statusCode} ${ms} ms ${id}`)
    return answer
  }

  const server = createServer((req, res) => {
    serveNode(
      run,
      req,
      res,
      req.url,
      { onError: (e) => err(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`) },
      DEFAULT_BODY_LIMIT,
      () => {
        res.statusCode = 404
        res.end()
      },
    )
  })
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 3000, options.host ?? '127.0.0.1', () => resolveListen())
  })
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  const url = `http://${host}:${address.port}`

  const printRoutes = () => {
    for (const { gateway, name } of current.gateways) {
      out(`${name} (${gateway.apiType}, stage ${gateway.stage})`)
      for (const line of routeTable(gateway)) out(`  ${line}`)
    }
    for (const note of current.notes) out(note)
  }
  printRoutes()
  out(`gatehouse serving ${options.file} on ${url}`)

  let watched: string[] = []
  let timer: NodeJS.Timeout | undefined
  let reloading: Promise<boolean> | undefined
  const reload = async (): Promise<boolean> => {
    try {
      current = await build()
      out(`reloaded ${options.file}`)
      printRoutes()
      return true
    } catch (error) {
      err(
        `reload failed, still serving the last good definition: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      )
      return false
    } finally {
      if (options.watch) watch()
    }
  }
  const onChange = (curr: { mtimeMs: number }, prev: { mtimeMs: number }) => {
    if (curr.mtimeMs === prev.mtimeMs) return
    clearTimeout(timer)
    timer = setTimeout(() => {
      reloading = (reloading ?? Promise.resolve(true)).then(reload)
    }, 50)
  }
  // Polling survives editors that replace a file (rename over it), which fs.watch does not follow.
  const watch = () => {
    const next = current.files
    for (const f of watched) if (!next.includes(f)) unwatchFile(f, onChange)
    for (const f of next) if (!watched.includes(f)) watchFile(f, { interval: 100 }, onChange)
    watched = next
  }
  if (options.watch) {
    watch()
    out(`watching ${watched.length} file${watched.length === 1 ? '' : 's'} for changes`)
  }

  return {
    url,
    server,
    reload,
    close: async () => {
      clearTimeout(timer)
      for (const f of watched) unwatchFile(f, onChange)
      server.closeAllConnections()
      await new Promise<void>((resolveClose) => server.close(() => resolveClose()))
    },
  }
}

function header(headers: GatewayResponse['headers'], name: string): string | undefined {
  for (const [k, v] of Object.entries(headers ?? {})) if (k.toLowerCase() === name) return Array.isArray(v) ? v[0] : String(v)
  return undefined
}

/** As core detects it: an HTTP API's export marks, CORS extension or `$default` path. */
function looksLikeHttpApi(doc: Record<string, unknown>): boolean {
  return (
    doc['x-amazon-apigateway-importexport-version'] !== undefined ||
    doc['x-amazon-apigateway-cors'] !== undefined ||
    Object.hasOwn((doc.paths ?? {}) as object, '$default')
  )
}

function stringValues(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)]))
}
