/**
 * `gatehouse serve`: build one gateway per API of a definition file — or one custom domain over several files, one
 * API per mapping — serve them on node:http, log each request and every error, and with `watch` rebuild on change
 * while keeping the process, its server and its state stores.
 */
import { unwatchFile, watchFile } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createDashboard } from '@gatehousejs/dashboard'
import type { AddressInfo } from 'node:net'
import type { GatewayRequest, GatewayResponse } from '@gatehousejs/core'
import { DEFAULT_BODY_LIMIT, serveNode } from '@gatehousejs/core/node'
import { createMemoryStore } from '@gatehousejs/throttle'
import { buildApis, formatWarning, type Built } from './build'
import { documentKind, readDefinitionFile } from './parse'
import { type ServedWebSocketApis, serveWebSocketApis } from './serve-websocket'
import { buildDomain, mappingLine, type BuiltDomain, type DomainMapping } from './domain'
import { routeTable } from './routes'

/** What `gatehouse serve` is given. */
export interface ServeOptions {
  /** The OpenAPI document or SAM / CloudFormation template (or give `mappings`). */
  file?: string
  /** Serve several files behind one custom domain, each API under its base path mapping / API mapping key. */
  mappings?: DomainMapping[]
  /** With `mappings`: the domain's name; requests with another `Host` get 403 (default: any host). */
  domain?: string
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
  /** Serve a live dashboard (`@gatehousejs/dashboard`) on `/_dashboard/`, to this machine only. */
  dashboard?: boolean
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
  // Made once, so that its figures outlive a reload too; routes are named by API when there are several.
  const dashboard = options.dashboard
    ? createDashboard({ routeName: (s) => `${s.api.apiId} ${s.route.routeKey || '(no route)'}` })
    : undefined

  const { mappings } = options
  if (!mappings && options.file === undefined) throw new Error('serve: give a file or mappings')
  const label = mappings ? mappings.map((m) => m.file).join(',') : options.file!
  const buildFile = (file: string): Promise<Built> =>
    buildApis({
      ...options,
      file,
      generatedKeys,
      input: {
        store,
        observers: dashboard ? [dashboard.observer] : [],
        onError: (error, info) => {
          err(
            `error ${info.requestId ?? '-'} ${info.routeKey ?? '-'} (${info.stage}${info.responseType ? `, ${info.responseType}` : ''}): ${
              error instanceof Error ? (error.stack ?? error.message) : String(error)
            }`,
          )
          dashboard?.onError(error, info)
        },
      },
    })
  const build = async (): Promise<Built | BuiltDomain> => {
    const built = mappings ? await buildDomain(mappings, options.domain, buildFile) : await buildFile(label)
    for (const w of built.warnings) err(`warning: ${formatWarning(w)}`)
    return built
  }

  let current = await build()
  const run = async (request: GatewayRequest): Promise<GatewayResponse> => {
    const started = performance.now()
    let response: GatewayResponse | undefined
    if ('domain' in current) {
      // The domain picks the API by Host and base path mapping, and answers 403 when none takes the request.
      response = await current.domain.handle(request)
    } else {
      for (const { gateway } of current.apis) {
        const result = await gateway.dispatch(request)
        if ((result as { passthrough?: boolean }).passthrough !== true) {
          response = result as GatewayResponse
          break
        }
      }
    }
    // The last gateway answers unmatched requests itself, so a passthrough cannot reach here.
    const answer = response ?? { statusCode: 404, headers: {}, body: '{"message":"Not Found"}' }
    const ms = (performance.now() - started).toFixed(1)
    const id = header(answer.headers, 'x-amzn-requestid') ?? header(answer.headers, 'apigw-requestid') ?? '-'
    out(`${request.method} ${request.path}${request.query ? `?${request.query}` : ''} ${answer.statusCode} ${ms} ms ${id}`)
    return answer
  }

  const toGateway = (req: IncomingMessage, res: ServerResponse) =>
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
  let webSockets: ServedWebSocketApis | undefined
  const server = createServer((req, res) => {
    if (webSockets?.handleRequest(req, res)) return
    if (dashboard) dashboard.handler(req, res, () => toGateway(req, res))
    else toGateway(req, res)
  })
  // A template's WebSocket APIs: on this server's `upgrade` event and `/{stage}/@connections/{id}`.
  const startWebSockets = async () => {
    // Served from a single template only; a domain's files are REST and HTTP APIs.
    if ('domain' in current) return undefined
    const doc = readDefinitionFile(label)
    if (documentKind(doc) !== 'template') return undefined
    return serveWebSocketApis(doc, server, { ...options, file: label, loaded: current.functions, err })
  }
  webSockets = await startWebSockets()
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 3000, options.host ?? '127.0.0.1', () => resolveListen())
  })
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  const url = `http://${host}:${address.port}`

  const printRoutes = () => {
    for (const { gateway, name, stage } of current.apis) {
      const mapped = 'domain' in current ? current.mapped.find((m) => m.api.gateway === gateway) : undefined
      out(`${name} (${gateway.apiType}, stage ${gateway.stage})${mapped ? ` at ${mappingLine(options.domain, mapped.mapping)}` : ''}`)
      for (const line of routeTable(gateway, stage)) out(`  ${line}`)
    }
    for (const line of webSockets?.lines ?? []) out(line.replace('<host>', url.slice('http://'.length)))
    for (const note of current.notes) out(note)
  }
  printRoutes()
  out(`gatehouse serving ${label} on ${url}`)
  if (dashboard) out(`dashboard on ${url}/_dashboard/ (this machine only)`)

  let watched: string[] = []
  let timer: NodeJS.Timeout | undefined
  let reloading: Promise<boolean> | undefined
  const reload = async (): Promise<boolean> => {
    try {
      current = await build()
      // A new WebSocket API replaces the old one: its connections are closed (1001), clients reconnect.
      await webSockets?.close()
      webSockets = undefined
      webSockets = await startWebSockets()
      out(`reloaded ${label}`)
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
    const next = [...new Set([...current.files, ...(webSockets?.files ?? [])])]
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
      await webSockets?.close()
      server.closeAllConnections()
      await new Promise<void>((resolveClose) => server.close(() => resolveClose()))
    },
  }
}

function header(headers: GatewayResponse['headers'], name: string): string | undefined {
  for (const [k, v] of Object.entries(headers ?? {})) if (k.toLowerCase() === name) return Array.isArray(v) ? v[0] : String(v)
  return undefined
}
