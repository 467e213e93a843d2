/**
 * WebSocket echo, issue #18's table: a message routed by `$request.body.action` to a two-way `AWS_PROXY` route
 * whose function answers the message back (`@gatehousejs/websocket`'s createWebSocketApi on node:http), beside the
 * `ws` library's own echo server (`WebSocketServer`, `ws.send(data)` on each message: no gateway work at all).
 *
 * - Throughput and p99 at 100 and 1,000 connections: each server runs in its own child process (this file, started
 *   with `GATEHOUSE_WS_BENCH_SIDE=<side>`); the parent opens the `ws` client connections to it, each sending its
 *   next message when the previous one came back (closed loop), and counts messages/s and the p99 round trip. Both
 *   servers are first checked to answer the same text. Rounds alternate the two sides; the ratio is the median of
 *   the rounds' own ratios.
 * - Memory per idle connection at 10,000 connections: a fresh child per side (run with `--expose-gc`), memory after
 *   `gc()` before and after the connections are open, the difference divided by the connections.
 *
 * The parent holds up to 10,000 client sockets and each server child as many: `ulimit -n` must be at least 11,256
 * (idle connections + the largest load + 256 for Node's own handles; checked first, with the command to raise it).
 * `BENCH_QUICK=1` shortens it (1 s rounds, 2,000 idle connections).
 */
import { spawnSync, type ChildProcess } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import WebSocket, { WebSocketServer } from 'ws'
import { median, type Row, type Section, startServerChild, versionOf } from './harness'

const SIDE_ENV = 'GATEHOUSE_WS_BENCH_SIDE'
type Side = 'gatehouse' | 'ws'
const SIDES: Side[] = ['ws', 'gatehouse']
const quick = process.env.BENCH_QUICK === '1'
const LOADS = [100, 1_000]
const ROUND_MS = quick ? 1000 : 2500
const ROUNDS = quick ? 2 : 4
const IDLE = quick ? 2_000 : 10_000
const MESSAGE = '{"action":"echo","data":"hello, websocket"}'

async function serve(side: Side): Promise<Server> {
  let open = 0
  const server = createServer((req, res) => {
    // `/memory`: after two full collections (the child runs with --expose-gc); `/count`: open upgraded sockets.
    if (req.url === '/memory') {
      const gc = (globalThis as { gc?: () => void }).gc
      gc?.()
      gc?.()
      res.end(JSON.stringify({ ...process.memoryUsage(), open, gc: gc !== undefined }))
    } else if (req.url === '/count') res.end(JSON.stringify({ open }))
    else res.writeHead(404).end()
  })
  server.on('upgrade', (_req, socket) => {
    open++
    socket.once('close', () => open--)
  })
  if (side === 'ws') {
    const wss = new WebSocketServer({ server })
    wss.on('connection', (ws) => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })))
    return server
  }
  const { createWebSocketApi } = await import('@gatehousejs/websocket')
  const api = createWebSocketApi({
    api: {
      name: 'echo',
      routeSelectionExpression: '$request.body.action',
      routes: { echo: { integration: { type: 'AWS_PROXY', uri: 'echo' }, routeResponseSelectionExpression: '$default' } },
    },
    functions: { echo: async (event: { body?: string }) => ({ statusCode: 200, body: event.body }) },
    // AWS's default account bucket (10,000 rps) would otherwise be what is measured.
    accountThrottle: { rateLimit: 1_000_000, burstLimit: 1_000_000 },
  })
  server.on('upgrade', api.handleUpgrade)
  return server
}

const childSide = process.env[SIDE_ENV] as Side | undefined
if (childSide) {
  const server = await serve(childSide)
  server.listen(0, '127.0.0.1', 1024, () => {
    process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`)
  })
}

/** This file again as a server child, with --expose-gc for the memory figures; its address without the scheme. */
async function startChild(side: Side): Promise<{ url: string; child: ChildProcess }> {
  const { url, child } = await startServerChild(fileURLToPath(import.meta.url), { [SIDE_ENV]: side }, side, ['--expose-gc'])
  return { url: url.slice('http://'.length), child }
}

/** Opens `n` connections, at most `parallel` handshakes at a time (the listen backlog is 1,024). */
async function connectAll(url: string, n: number, parallel = 500): Promise<WebSocket[]> {
  const out: WebSocket[] = []
  for (let i = 0; i < n; i += parallel) {
    const batch = Array.from(
      { length: Math.min(parallel, n - i) },
      () =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(`ws://${url}/`, { perMessageDeflate: false })
          ws.once('open', () => resolve(ws))
          ws.once('error', reject)
        }),
    )
    out.push(...(await Promise.all(batch)))
  }
  return out
}

/** One closed-loop round: every connection sends, waits for the echo, sends again, for `ms`. */
async function round(clients: WebSocket[], ms: number): Promise<{ rate: number; p99: number }> {
  const latencies: number[] = []
  let stop = false
  let done = 0
  await new Promise<void>((resolve) => {
    for (const ws of clients) {
      let sentAt = 0
      const send = () => {
        sentAt = performance.now()
        ws.send(MESSAGE)
      }
      const onMessage = () => {
        latencies.push(performance.now() - sentAt)
        if (stop) {
          ws.off('message', onMessage)
          if (++done === clients.length) resolve()
          return
        }
        send()
      }
      ws.on('message', onMessage)
      send()
    }
    setTimeout(() => {
      stop = true
    }, ms)
  })
  latencies.sort((a, b) => a - b)
  return { rate: latencies.length / (ms / 1000), p99: latencies[Math.floor(latencies.length * 0.99)] ?? 0 }
}

async function firstAnswer(url: string): Promise<string> {
  const [ws] = await connectAll(url, 1)
  const answer = await new Promise<string>((resolve) => {
    ws!.once('message', (data) => resolve(String(data)))
    ws!.send(MESSAGE)
  })
  ws!.close()
  return answer
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const getJson = async <T>(url: string): Promise<T> => (await (await fetch(`http://${url}`)).json()) as T
type Memory = NodeJS.MemoryUsage & { open: number; gc: boolean }

/** Bytes per idle connection on a fresh server child: RSS and JS heap + external, after gc, over `IDLE` connections. */
async function idleMemory(side: Side): Promise<{ rss: number; heap: number }> {
  const { url, child } = await startChild(side)
  let clients: WebSocket[] = []
  try {
    // Load the code paths first (handshake, a message, a close), so only per-connection state is counted.
    await firstAnswer(url)
    while ((await getJson<{ open: number }>(`${url}/count`)).open > 0) await sleep(20)
    await sleep(200)
    const before = await getJson<Memory>(`${url}/memory`)
    if (!before.gc) throw new Error('the server child has no gc(): --expose-gc was not applied')
    clients = await connectAll(url, IDLE)
    while ((await getJson<{ open: number }>(`${url}/count`)).open < IDLE) await sleep(20)
    await sleep(500)
    const after = await getJson<Memory>(`${url}/memory`)
    return {
      rss: (after.rss - before.rss) / IDLE,
      heap: (after.heapUsed + after.external - before.heapUsed - before.external) / IDLE,
    }
  } finally {
    for (const ws of clients) ws.terminate()
    child.kill()
  }
}

/** The soft fd limit of this process's shell (children inherit it). */
function fdLimit(): number {
  const out = spawnSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).stdout.trim()
  return out === 'unlimited' ? Number.POSITIVE_INFINITY : Number(out)
}

export default async function run(): Promise<Section[]> {
  const limit = fdLimit()
  // Each of the parent (clients) and a server child holds IDLE sockets, plus Node's own handles and the load clients.
  const needed = IDLE + Math.max(...LOADS) + 256
  if (!(limit >= needed)) throw new Error(`ulimit -n is ${limit}; this benchmark needs at least ${needed} (run \`ulimit -n 16384\` first)`)
  const servers = { ws: await startChild('ws'), gatehouse: await startChild('gatehouse') }
  const results = new Map<number, { ours: { rate: number; p99: number }[]; peer: { rate: number; p99: number }[] }>()
  try {
    const [a, b] = [await firstAnswer(servers.ws.url), await firstAnswer(servers.gatehouse.url)]
    if (a !== MESSAGE || b !== MESSAGE) throw new Error(`echo differs: ws answers ${a}, gatehouse answers ${b}`)
    for (const n of LOADS) {
      const clients = { ws: await connectAll(servers.ws.url, n), gatehouse: await connectAll(servers.gatehouse.url, n) }
      await round(clients.ws, 300)
      await round(clients.gatehouse, 300)
      const r = { ours: [] as { rate: number; p99: number }[], peer: [] as { rate: number; p99: number }[] }
      for (let i = 0; i < ROUNDS; i++) {
        r.peer.push(await round(clients.ws, ROUND_MS))
        r.ours.push(await round(clients.gatehouse, ROUND_MS))
      }
      for (const ws of [...clients.ws, ...clients.gatehouse]) ws.terminate()
      results.set(n, r)
    }
  } finally {
    servers.ws.child.kill()
    servers.gatehouse.child.kill()
  }

  const memory: Record<Side, { rss: number; heap: number }> = { ws: { rss: 0, heap: 0 }, gatehouse: { rss: 0, heap: 0 } }
  for (const side of SIDES) memory[side] = await idleMemory(side)

  const rate = (n: number): Row => {
    const { ours, peer } = results.get(n)!
    return {
      name: `echo through a route-selected AWS_PROXY function, ${n.toLocaleString('en-US')} connections`,
      ours: median(ours.map((o) => o.rate)),
      peer: median(peer.map((p) => p.rate)),
      ratio: median(ours.map((o, i) => o.rate / peer[i]!.rate)),
      goal: 0.7,
    }
  }
  const p99 = (n: number): Row => {
    const { ours, peer } = results.get(n)!
    return {
      name: `p99 round trip at ${n.toLocaleString('en-US')} connections (ws ÷ gatehouse)`,
      ours: median(ours.map((o) => o.p99)),
      peer: median(peer.map((p) => p.p99)),
      ratio: median(ours.map((o, i) => peer[i]!.p99 / o.p99)),
    }
  }
  const ms = (xs: { p99: number }[]) => median(xs.map((x) => x.p99)).toFixed(2)
  const peers = { ws: versionOf('ws') }
  const setup = `${ROUNDS} rounds of ${ROUND_MS / 1000} s per side and load, alternating; servers in child processes, the \`ws\` clients in the parent (one process, so the client's own cost is in both figures).`
  const perConnection = (key: 'rss' | 'heap', label: string): Row => ({
    name: `${label} per idle connection at ${IDLE.toLocaleString('en-US')} connections (ws ÷ gatehouse)`,
    ours: memory.gatehouse[key],
    peer: memory.ws[key],
    ratio: memory.ws[key] / memory.gatehouse[key],
    goal: 0.67,
  })
  return [
    {
      title: 'WebSocket echo (messages/s, closed loop)',
      unit: 'messages/s',
      peers,
      peerName: 'ws echo server',
      rows: LOADS.map(rate),
      notes: [
        setup,
        "The gatehouse side parses the message, selects the route, builds AWS's event (requestContext with ids and times), invokes the function and sends its body back; its account throttle is raised so AWS's 10,000 rps default is not what is measured.",
      ],
    },
    {
      title: 'WebSocket echo: p99 round trip (ms)',
      unit: 'ms',
      peers,
      peerName: 'ws echo server',
      rows: LOADS.map(p99),
      notes: [
        `${setup} Columns are p99 in ms; the ratio is ws ÷ gatehouse (higher is better).`,
        ...LOADS.map((n) => `p99 at ${n} connections: gatehouse ${ms(results.get(n)!.ours)} ms, ws ${ms(results.get(n)!.peer)} ms.`),
      ],
    },
    {
      title: 'WebSocket memory per idle connection (bytes)',
      unit: 'bytes',
      peers,
      peerName: 'ws echo server',
      rows: [perConnection('rss', 'RSS'), perConnection('heap', 'JS heap + external')],
      notes: [
        `A fresh server child per side, started with --expose-gc: memory after two gc() calls with no connection (after one connection has sent a message and closed, so code paths are loaded), then with ${IDLE.toLocaleString('en-US')} idle connections open; the difference ÷ the connections.`,
        'Lower is better: the ratio is ws ÷ gatehouse, so the goal 0.67× is "gatehouse at most 1.5× ws\'s memory per connection".',
        `Sockets: the parent and each server child hold ${IDLE.toLocaleString('en-US')} sockets at once; \`ulimit -n\` must be at least ${needed} (it was ${limit}).`,
      ],
    },
  ]
}
