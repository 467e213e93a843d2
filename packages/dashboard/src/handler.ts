/**
 * The dashboard over node:http: the page and its assets, the JSON snapshot, and a server-sent events stream.
 * Loopback clients only unless told otherwise: the page shows the operator's stack traces.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { PAGE_JS } from './page/app'
import { PAGE_CSS } from './page/css'
import { PAGE_HTML, PAGE_ICON } from './page/html'
import type { DashboardSnapshot } from './stats'

/** How the handler serves the dashboard. */
export interface HandlerSettings {
  /** Where the dashboard is mounted (`/_dashboard`): the page is at `<path>/`. */
  path: string
  /** Serve clients that are not on this machine (default false: they get 403). */
  allowRemote: boolean
  /** How often the event stream sends a snapshot, ms. */
  refreshMs: number
  /** Event streams open at once; more get 503 (their page falls back to polling). */
  maxStreams: number
}

/** `next` of Express and Connect: called for requests outside the mount path. */
export type NextFunction = (error?: unknown) => void

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
}

const ASSETS = new Map<string, { type: string; body: string }>([
  ['/', { type: 'text/html; charset=utf-8', body: PAGE_HTML }],
  ['/app.js', { type: 'text/javascript; charset=utf-8', body: PAGE_JS }],
  ['/app.css', { type: 'text/css; charset=utf-8', body: PAGE_CSS }],
  ['/favicon.svg', { type: 'image/svg+xml', body: PAGE_ICON }],
])

/**
 * Whether a socket address is this machine's (127.0.0.0/8, ::1, and IPv4-mapped 127.x).
 *
 * @example
 * ```ts
 * isLoopback('127.0.0.1') // true
 * isLoopback('::ffff:127.0.0.1') // true
 * isLoopback('10.0.0.5') // false
 * ```
 */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false
  if (address === '::1' || address === '0:0:0:0:0:0:0:1') return true
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4)
}

function send(res: ServerResponse, status: number, type: string, body: string, head: boolean, extra?: Record<string, string>): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, 'content-length': String(Buffer.byteLength(body)), ...extra })
  res.end(head ? undefined : body)
}

/**
 * A node:http (and Express / Connect) handler serving the dashboard under `settings.path`; other paths go to `next`
 * when given, or get 404.
 *
 * @example
 * ```ts
 * const handler = createHandler(() => collector.snapshot(), { path: '/_dashboard', allowRemote: false, refreshMs: 1000, maxStreams: 8 })
 * createServer((req, res) => handler(req, res)).listen(9000) // open http://127.0.0.1:9000/_dashboard/
 * ```
 */
export function createHandler(snapshot: () => DashboardSnapshot, settings: HandlerSettings) {
  const mount = settings.path
  const streams = new Set<ServerResponse>()
  let timer: ReturnType<typeof setInterval> | undefined

  const broadcast = () => {
    if (streams.size === 0) return
    const frame = `data: ${JSON.stringify(snapshot())}\n\n`
    for (const res of streams) {
      // A viewer that does not read is skipped until it drains, so its buffer holds at most one frame.
      if (res.writableNeedDrain) continue
      res.write(frame)
    }
  }

  const openStream = (req: IncomingMessage, res: ServerResponse) => {
    if (streams.size >= settings.maxStreams) {
      send(res, 503, 'text/plain; charset=utf-8', 'too many dashboard streams; the page polls instead\n', false)
      return
    }
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive' })
    res.write(`retry: 2000\n\ndata: ${JSON.stringify(snapshot())}\n\n`)
    streams.add(res)
    if (timer === undefined) {
      timer = setInterval(broadcast, settings.refreshMs)
      timer.unref?.()
    }
    const close = () => {
      streams.delete(res)
      if (streams.size === 0 && timer !== undefined) {
        clearInterval(timer)
        timer = undefined
      }
    }
    req.on('close', close)
    res.on('close', close)
  }

  return function dashboardHandler(req: IncomingMessage, res: ServerResponse, next?: NextFunction): void {
    const url = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/'
    const q = url.indexOf('?')
    const pathname = q < 0 ? url : url.slice(0, q)
    if (pathname !== mount && !pathname.startsWith(`${mount}/`)) {
      if (next) next()
      else send(res, 404, 'text/plain; charset=utf-8', 'not found\n', req.method === 'HEAD')
      return
    }
    const head = req.method === 'HEAD'
    if (!settings.allowRemote && !isLoopback(req.socket?.remoteAddress)) {
      send(res, 403, 'text/plain; charset=utf-8', 'the dashboard answers only this machine (allowRemote: false)\n', head)
      return
    }
    if (req.method !== 'GET' && !head) {
      send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n', false, { allow: 'GET, HEAD' })
      return
    }
    const sub = pathname.slice(mount.length)
    if (sub === '') {
      send(res, 308, 'text/plain; charset=utf-8', '', head, { location: `${mount}/` })
      return
    }
    const asset = ASSETS.get(sub)
    if (asset !== undefined) return send(res, 200, asset.type, asset.body, head)
    if (sub === '/snapshot.json') return send(res, 200, 'application/json; charset=utf-8', JSON.stringify(snapshot()), head)
    if (sub === '/events' && !head) return openStream(req, res)
    send(res, 404, 'text/plain; charset=utf-8', 'not found\n', head)
  }
}

/** What `createHandler` returns. */
export type DashboardHandler = ReturnType<typeof createHandler>
