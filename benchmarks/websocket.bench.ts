/**
 * WebSocket echo, issue #18's table: a message routed by `$request.body.action` to a two-way `AWS_PROXY` route
 * whose function answers the message back (`@gatehousejs/websocket`'s createWebSocketApi on node:http), beside the
 * `ws` library's own echo server (`WebSocketServer`, `ws.send(data)` on each message: no gateway work at all).
 * Each server runs in its own child process (this file, started with `GATEHOUSE_WS_BENCH_SIDE=<side>`); the parent
 * opens 100 `ws` client connections to it, each sending its next message when the previous one came back (closed
 * loop), and counts messages/s and the p99 round trip. Both servers are first checked to answer the same text.
 * Rounds alternate the two sides; the ratio is the median of the rounds' own ratios. `BENCH_QUICK=1` shortens it.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import WebSocket, { WebSocketServer } from 'ws'
import { median, startServerChild, versionOf, type Row, type Section } from './harness'

const SIDE_ENV = 'GATEHOUSE_WS_BENCH_SIDE'
type Side = 'gatehouse' | 'ws'
const quick = process.env.BENCH_QUICK === '1'
const CONNECTIONS = 100
const ROUND_MS = quick ? 1000 : 2500
const ROUNDS = quick ? 2 : 3
const MESSAGE = '{"action":"echo","data":"hello, websocket"}'

async function serve(side: Side): Promise<Server> {
  const server = createServer((_req, res) => res.writeHead(404).end())
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
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`)
  })
}

async function connectAll(url: string, n: number): Promise<WebSocket[]> {
  return Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(url, { perMessageDeflate: false })
          ws.once('open', () => resolve(ws))
          ws.once('error', reject)
        }),
    ),
  )
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

export default async function run(): Promise<Section> {
  const file = fileURLToPath(import.meta.url)
  const servers = {
    ws: await startServerChild(file, { [SIDE_ENV]: 'ws' }, 'ws'),
    gatehouse: await startServerChild(file, { [SIDE_ENV]: 'gatehouse' }, 'gatehouse'),
  }
  try {
    const wsUrl = servers.ws.url.replace('http', 'ws')
    const ghUrl = servers.gatehouse.url.replace('http', 'ws')
    const [a, b] = [await firstAnswer(wsUrl), await firstAnswer(ghUrl)]
    if (a !== MESSAGE || b !== MESSAGE) throw new Error(`echo differs: ws answers ${a}, gatehouse answers ${b}`)

    const clients = { ws: await connectAll(wsUrl, CONNECTIONS), gatehouse: await connectAll(ghUrl, CONNECTIONS) }
    await round(clients.ws, 300)
    await round(clients.gatehouse, 300)
    const ours: { rate: number; p99: number }[] = []
    const peer: { rate: number; p99: number }[] = []
    for (let i = 0; i < ROUNDS; i++) {
      peer.push(await round(clients.ws, ROUND_MS))
      ours.push(await round(clients.gatehouse, ROUND_MS))
    }
    for (const ws of [...clients.ws, ...clients.gatehouse]) ws.terminate()

    const ratios = ours.map((o, i) => o.rate / peer[i]!.rate)
    const row: Row = {
      name: `echo through a route-selected AWS_PROXY function, ${CONNECTIONS} connections`,
      ours: median(ours.map((o) => o.rate)),
      peer: median(peer.map((p) => p.rate)),
      ratio: median(ratios),
      goal: 0.7,
    }
    const p99 = (xs: { p99: number }[]) => median(xs.map((x) => x.p99)).toFixed(2)
    return {
      title: 'WebSocket echo (messages/s, closed loop)',
      unit: 'messages/s',
      peers: { ws: versionOf('ws') },
      peerName: 'ws echo server',
      rows: [row],
      notes: [
        `p99 round trip at ${CONNECTIONS} connections: gatehouse ${p99(ours)} ms, ws ${p99(peer)} ms.`,
        `${ROUNDS} rounds of ${ROUND_MS / 1000} s per side, alternating; servers in child processes, the ${CONNECTIONS} \`ws\` clients in the parent (one process, so the client's own cost is in both figures).`,
        "The gatehouse side parses the message, selects the route, builds AWS's event (requestContext with ids and times), invokes the function and sends its body back; its account throttle is raised so AWS's 10,000 rps default is not what is measured.",
        'Not measured here yet (issue #18): 1,000 connections, memory per idle connection at 10,000 connections.',
      ],
    }
  } finally {
    servers.ws.child.kill()
    servers.gatehouse.child.kill()
  }
}
