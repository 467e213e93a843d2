/**
 * End to end over HTTP with autocannon (pipelining 1), issue #17's table:
 * - S1: GET, one Lambda-proxy route, small JSON: bare node:http, and node:http / Express / Hono (@hono/node-server) /
 *   Fastify / Koa serving it through the gateway, beside each framework alone and beside API Gateway's work written
 *   by hand for the one route, on node:http and inside Fastify, Hono and Koa (the floors; ./http/s1.ts, by-hand.ts);
 * - S2: POST /orders with an API key, a usage plan (throttle and quota, never reached), a body model and a
 *   Lambda-proxy function: node:http + gateway beside the same work by hand on bare node:http, Fastify 5 with
 *   @fastify/rate-limit and a body schema, and Express 5 with express-rate-limit and express.json() (./http/s2.ts),
 *   and API Gateway's work by hand (the floor); throughput at 10 connections, p99 latency at 10 and 100.
 * Every server runs in its own child process (this file, started with `GATEHOUSE_HTTP_BENCH_STACK=<stack>`), so
 * autocannon in the parent does not share the server's event loop. Responses are checked to agree (status, content
 * type, body) before anything is timed. Ratios are medians of paired rounds: each stack right after its reference,
 * the rounds spread over three fresh sets of server processes (GENERATIONS).
 */
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { cpus, loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { spawnSync } from 'node:child_process'
import {
  autocannonRun,
  exposeUsage,
  median,
  serverUsage,
  startServerChild,
  versionOf,
  type LoadRequest,
  type Row,
  type Section,
} from './harness'
import { stealMeter } from './http/host'
import { S1_PATH, S1_STACKS, serveS1, type S1Stack } from './http/s1'
import { S2_REQUEST, S2_STACKS, serveS2, type S2Stack } from './http/s2'

const STACK_ENV = 'GATEHOUSE_HTTP_BENCH_STACK'
type Stack = S1Stack | S2Stack

const S2_GATEWAY: S2Stack = 'S2 node:http + gateway'
const S2_OBSERVED: S2Stack = 'S2 node:http + gateway, access log + metrics on'
const S2_HEADERS: S2Stack = "S2 bare node:http with API Gateway's response headers"
const S2_HEADERS_ROW = "bare node:http with API Gateway's response headers"
const S2_FLOOR: S2Stack = "S2 bare node:http doing API Gateway's work by hand"
const S2_FLOOR_ROW = "bare node:http doing API Gateway's work by hand"

const childStack = process.env[STACK_ENV] as Stack | undefined
if (childStack) {
  const server: Server = await ((S2_STACKS as readonly string[]).includes(childStack)
    ? serveS2(childStack as S2Stack)
    : serveS1(childStack as S1Stack))
  exposeUsage(server)
  // The observed gateway's process also serves the same gateway unobserved, on a port of its own: the cost of
  // observing is then read in one process (two processes' JIT and memory differ by more than that cost).
  const unobserved = childStack === S2_OBSERVED ? await serveS2(S2_GATEWAY) : undefined
  const listen = (s: Server) => new Promise<number>((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port)))
  if (unobserved !== undefined) exposeUsage(unobserved)
  const off = unobserved === undefined ? undefined : await listen(unobserved)
  process.stdout.write(`${JSON.stringify({ port: await listen(server), off })}\n`)
}

const start = (stack: Stack) => startServerChild(fileURLToPath(import.meta.url), { [STACK_ENV]: stack }, stack)

async function probe(url: string, request: LoadRequest & { path: string }): Promise<string> {
  const res = await fetch(`${url}${request.path}`, { method: request.method ?? 'GET', headers: request.headers, body: request.body })
  return `${res.status} ${res.headers.get('content-type')} ${await res.text()}`
}

const S1_REQUEST = { path: S1_PATH }
/**
 * Seconds of load each server gets before it is measured: a fresh server reaches its plateau after 3–4 s of load (the
 * JIT still at work; measured 1 s at a time), so with 2 s a stack's first rounds were part of its warm-up.
 */
const WARMUP_SECONDS = 5

/** Start every stack, check each answers as the first does, warm each up. */
async function startAll<S extends Stack>(
  stacks: readonly S[],
  request: LoadRequest & { path: string },
  warmup: number,
): Promise<Map<S, Awaited<ReturnType<typeof start>>>> {
  const servers = new Map<S, Awaited<ReturnType<typeof start>>>()
  try {
    for (const stack of stacks) servers.set(stack, await start(stack))
    const expected = await probe(servers.get(stacks[0]!)!.url, request)
    for (const stack of stacks) {
      const url = servers.get(stack)!.url
      const answer = await probe(url, request)
      if (answer !== expected) throw new Error(`"${stack}" answers ${answer}, "${stacks[0]}" answers ${expected}`)
      await autocannonRun(`${url}${request.path}`, warmup, request)
    }
  } catch (error) {
    for (const { child } of servers.values()) child.kill()
    throw error
  }
  return servers
}

/**
 * Two runs back to back, `a` first in even rounds and second in odd ones (on two shared cores, the run after another
 * inherits its heat and its neighbour's noise); the results in (a, b) order.
 */
async function alternating<T>(r: number, a: () => Promise<T>, b: () => Promise<T>): Promise<readonly [T, T]> {
  if (r % 2 === 0) {
    const x = await a()
    return [x, await b()]
  }
  const y = await b()
  return [await a(), y]
}

/** A ratio row: `ours` measured right after `peer`, round after round; ratio = median of the paired ratios. */
class Pairs {
  readonly ours: number[] = []
  readonly peer: number[] = []
  readonly ratios: number[] = []
  add(ours: number, peer: number): void {
    this.ours.push(ours)
    this.peer.push(peer)
    this.ratios.push(ours / peer)
  }
  row(name: string, goal?: number, invert = false): Row {
    const ratios = invert ? this.ratios.map((r) => 1 / r) : this.ratios
    return { name, ours: median(this.ours), peer: median(this.peer), ratio: median(ratios), ...(goal === undefined ? {} : { goal }) }
  }
}

const S1_GOALS: Partial<Record<S1Stack, number>> = { 'node:http + gateway': 0.85 }
/**
 * Framework + gateway ÷ the framework alone, measured one after the other, each beside its floor: the framework with
 * API Gateway's work by hand (context, no goal).
 */
const S1_FRAMEWORK_PAIRS: [S1Stack, S1Stack, number?][] = [
  ['Fastify + gateway', 'Fastify alone (no gateway)', 0.8],
  ["Fastify + API Gateway's work by hand", 'Fastify alone (no gateway)'],
  ['Express + gateway', 'Express alone (no gateway)', 0.8],
  ['Hono (@hono/node-server) + gateway', 'Hono alone (no gateway)', 0.8],
  ["Hono + API Gateway's work by hand", 'Hono alone (no gateway)'],
  ['Koa + gateway', 'Koa alone (no gateway)', 0.8],
  ["Koa + API Gateway's work by hand", 'Koa alone (no gateway)'],
]
const S1_FLOORS = new Set<S1Stack>(S1_FRAMEWORK_PAIRS.filter(([, , goal]) => goal === undefined).map(([s]) => s))

/**
 * Each section's rounds are spread over this many fresh sets of server processes: where a process's code and heap
 * land moves a pair of processes' ratio by 5–15 % for as long as they run (one pair read 0.74×, a fresh start of the
 * same two 0.89×), so one set of processes is one draw; the median of the rounds of three is not hostage to one.
 */
const GENERATIONS = 3

async function runS1(quick: boolean): Promise<Section[]> {
  const load = loadavg()[0]!.toFixed(1)
  const [warmup, seconds, rounds, generations] = quick ? [1, 1, 2, 1] : [WARMUP_SECONDS, 2, 2, GENERATIONS]
  const bareName: S1Stack = 'bare node:http'
  const others = S1_STACKS.filter((s) => s !== bareName && !S1_FLOORS.has(s))
  const vsBare = new Map<S1Stack, Pairs>(others.map((s) => [s, new Pairs()]))
  const cpuVsBare = new Map<S1Stack, Pairs>(others.map((s) => [s, new Pairs()]))
  const vsFramework = new Map<S1Stack, Pairs>(S1_FRAMEWORK_PAIRS.map(([s]) => [s, new Pairs()]))
  const cpuVsFramework = new Map<S1Stack, Pairs>(S1_FRAMEWORK_PAIRS.map(([s]) => [s, new Pairs()]))
  const steal = stealMeter()
  // The framework pairs in four times the pairs of half-length runs: two runs of a pair close in time, and enough
  // pairs that one slow second does not move the median (with 4 pairs of 2 s, a row moved by ±0.2 between runs).
  const short = Math.max(1, seconds / 2)
  for (let g = 0; g < generations; g++) {
    const servers = await startAll(S1_STACKS, S1_REQUEST, warmup)
    const run = async (stack: S1Stack, runSeconds: number) => {
      const url = servers.get(stack)!.url
      const before = await serverUsage(url)
      const result = await autocannonRun(`${url}${S1_PATH}`, runSeconds)
      const after = await serverUsage(url)
      return { rps: result.rps, cpu: (after.cpu - before.cpu) / result.total }
    }
    const pair = async (reference: S1Stack, stack: S1Stack, r: number, runSeconds = seconds) => {
      const out = await alternating(
        r,
        () => run(reference, runSeconds),
        () => run(stack, runSeconds),
      )
      steal.mark()
      return out
    }
    try {
      for (let r = g * rounds; r < (g + 1) * rounds; r++) {
        for (const stack of others) {
          const [bare, x] = await pair(bareName, stack, r)
          vsBare.get(stack)!.add(x.rps, bare.rps)
          cpuVsBare.get(stack)!.add(x.cpu, bare.cpu)
        }
      }
      for (let r = 4 * g * rounds; r < 4 * (g + 1) * rounds; r++) {
        for (const [withGateway, alone] of S1_FRAMEWORK_PAIRS) {
          const [a, x] = await pair(alone, withGateway, r, short)
          vsFramework.get(withGateway)!.add(x.rps, a.rps)
          cpuVsFramework.get(withGateway)!.add(x.cpu, a.cpu)
        }
      }
    } finally {
      for (const { child } of servers.values()) child.kill()
    }
  }
  const rows: Row[] = others.map((s) => vsBare.get(s)!.row(`${s} ÷ bare node:http`, S1_GOALS[s]))
  for (const [stack, alone, goal] of S1_FRAMEWORK_PAIRS) rows.push(vsFramework.get(stack)!.row(`${stack} ÷ ${alone}`, goal))
  const cpuRows: Row[] = others.map((s) => cpuVsBare.get(s)!.row(`bare node:http ÷ ${s}`, undefined, true))
  for (const [stack, alone] of S1_FRAMEWORK_PAIRS) cpuRows.push(cpuVsFramework.get(stack)!.row(`${alone} ÷ ${stack}`, undefined, true))
  const peers = {
    node: process.version,
    autocannon: versionOf('autocannon'),
    express: versionOf('express'),
    hono: versionOf('hono'),
    '@hono/node-server': versionOf('@hono/node-server'),
    fastify: versionOf('fastify'),
    koa: versionOf('koa'),
  }
  const how = `autocannon, 10 connections, pipelining 1; ${generations} set${generations === 1 ? '' : 's'} of server processes, each started fresh and given ${warmup} s of warm-up, then ${rounds} rounds in which each pair runs ${seconds} s each, back to back, in alternating order (the stack after its reference, then before it). Ratio: median of the paired ratios of all sets, so it is not exactly the quotient of the columns.`
  const frameworks = `Rows "X + … ÷ X alone": the reference column is the framework alone; these pairs run ${4 * rounds} times a set, ${short} s each. Row "node:http doing API Gateway's work by hand": the proxy event, the function's call and API Gateway's three ids written for this one route (http/by-hand.ts), no gateway: the floor under S1's goal on this host. Rows "X + API Gateway's work by hand": the same work inside the framework, answered through its own response as the gateway's adapter answers (a Fastify onRequest hook and reply.send, a Hono handler's Response, Koa's ctx.body): the floor under that framework's goal.`
  const where = `1-minute load average when the run started: ${load} on ${cpus().length} cores (end-to-end figures move with it; the ratios are what to read). ${steal.note()} Each server runs in its own child process (a set all started first, measured one at a time); autocannon runs in the parent. Responses checked equal (status, content type, body) first.`
  return [
    {
      title: 'HTTP end to end, S1: GET, one Lambda-proxy route answering a small JSON',
      unit: 'req/s',
      peers,
      peerName: 'reference',
      rows,
      notes: [how, frameworks, where],
    },
    {
      title: 'HTTP end to end, S1: server CPU time per request (the same runs)',
      unit: 'µs',
      peers,
      peerName: 'reference',
      rows: cpuRows,
      notes: [
        how,
        frameworks,
        "CPU time (user + system) of the server's process over each run ÷ the requests it answered. Columns: the stack's µs (the one after ÷; the first column is always the stack, gateway or not), then the reference's; the ratio is reference ÷ stack, so it reads like the throughput ratio of a server that is CPU-bound.",
      ],
    },
  ]
}

const S2_PEERS: [S2Stack, number, string][] = [
  ['S2 bare node:http (key check and JSON by hand)', 0.8, 'bare node:http doing the key check and JSON work by hand'],
  ['S2 Fastify + rate-limit + body schema', 0.9, 'Fastify 5 + @fastify/rate-limit (keyed by API key) + route body schema'],
  ['S2 Express + express-rate-limit + express.json()', 4, 'Express 5 + express-rate-limit + express.json()'],
]

async function runS2(quick: boolean): Promise<Section[]> {
  const load = loadavg()[0]!.toFixed(1)
  const [warmup, seconds, rounds, generations] = quick ? [1, 1, 2, 1] : [WARMUP_SECONDS, 2, 2, GENERATIONS]
  const steal = stealMeter()
  // Each run also reads the server child's CPU time before and after: CPU per request, a view of the same cost that
  // moves less than throughput when autocannon and the server share two cores.
  const run = async (url: string, connections: number, runSeconds = seconds) => {
    const before = await serverUsage(url)
    const result = await autocannonRun(`${url}${S2_REQUEST.path}`, runSeconds, S2_REQUEST, connections)
    const after = await serverUsage(url)
    return { ...result, cpu: (after.cpu - before.cpu) / result.total }
  }
  const pair = async (a: string, b: string, connections: number, r: number, runSeconds = seconds) => {
    const out = await alternating(
      r,
      () => run(a, connections, runSeconds),
      () => run(b, connections, runSeconds),
    )
    steal.mark()
    return out
  }
  const throughput = new Map(S2_PEERS.map(([peer]) => [peer, new Pairs()]))
  const cpu = new Map(S2_PEERS.map(([peer]) => [peer, new Pairs()]))
  const latency = new Map([10, 100].map((c) => [c, new Pairs()]))
  const floorLatency = new Map([10, 100].map((c) => [c, new Pairs()]))
  const floor = new Pairs()
  const floorCpu = new Pairs()
  const observed = new Pairs()
  const observedCpu = new Pairs()
  const headers = new Pairs()
  const headersCpu = new Pairs()
  const [bare, , bareLabel] = S2_PEERS[0]!
  const short = Math.max(1, seconds / 2)
  let memory: Awaited<ReturnType<typeof rssOverTime>> | undefined
  for (let g = 0; g < generations; g++) {
    const servers = await startAll(S2_STACKS, S2_REQUEST, warmup)
    try {
      const urlOf = (stack: S2Stack) => servers.get(stack)!.url
      for (let r = g * rounds; r < (g + 1) * rounds; r++) {
        for (const [peer] of S2_PEERS) {
          const [p, gw] = await pair(urlOf(peer), urlOf(S2_GATEWAY), 10, r)
          throughput.get(peer)!.add(gw.rps, p.rps)
          cpu.get(peer)!.add(gw.cpu, p.cpu)
        }
        for (const connections of [10, 100]) {
          const [p, gw] = await pair(urlOf(bare), urlOf(S2_GATEWAY), connections, r)
          latency.get(connections)!.add(gw.p99, p.p99)
          const [q, f] = await pair(urlOf(bare), urlOf(S2_FLOOR), connections, r)
          floorLatency.get(connections)!.add(f.p99, q.p99)
          if (connections === 10) {
            floor.add(f.rps, q.rps)
            floorCpu.add(f.cpu, q.cpu)
          }
        }
        const [p, h] = await pair(urlOf(bare), urlOf(S2_HEADERS), 10, r)
        headers.add(h.rps, p.rps)
        headersCpu.add(h.cpu, p.cpu)
      }
      // The cost of observing is a few per cent, less than this machine's drift over seconds: both sides served by
      // one process (the observed stack's, on two ports), in four times the pairs of half-length runs (each pair's
      // two runs close in time).
      const observing = servers.get(S2_OBSERVED)!
      const unobserved = `http://127.0.0.1:${observing.ports.off}`
      await autocannonRun(`${unobserved}${S2_REQUEST.path}`, warmup, S2_REQUEST)
      for (let r = 4 * g * rounds; r < 4 * (g + 1) * rounds; r++) {
        const [off, on] = await pair(unobserved, observing.url, 10, r, short)
        observed.add(on.rps, off.rps)
        observedCpu.add(on.cpu, off.cpu)
      }
      if (g === generations - 1) memory = await rssOverTime(urlOf(S2_GATEWAY), quick)
    } finally {
      for (const { child } of servers.values()) child.kill()
    }
  }
  const peers = {
    node: process.version,
    autocannon: versionOf('autocannon'),
    fastify: versionOf('fastify'),
    '@fastify/rate-limit': versionOf('@fastify/rate-limit'),
    express: versionOf('express'),
    'express-rate-limit': versionOf('express-rate-limit'),
  }
  const headersNote = `Row "${S2_HEADERS_ROW}" (context, no goal): the by-hand server answering with API Gateway's three ids as well (x-amzn-RequestId, x-amz-apigw-id, X-Amzn-Trace-Id, made per request, in the gateway's order), paired with it as the gateway is: what API Gateway's own response headers cost a bare server, part of S2's gap that no gateway can remove. Row "${S2_FLOOR_ROW}" (context, no goal): the same server doing all of API Gateway's work for this one route by hand (the ids, the proxy event with the key's identity, the function's call and its result checked; no usage plan counted; http/s2.ts, http/by-hand.ts): the floor under S2's goal against bare node:http.`
  const common = [
    `${generations} set${generations === 1 ? '' : 's'} of server processes, each started fresh with ${warmup} s warm-up per stack, then ${rounds} rounds of ${seconds} s runs of each pair, in alternating order (the gateway second, then first); ratio: median of the paired ratios of all sets. 1-minute load average at the start: ${load} on ${cpus().length} cores. ${steal.note()}`,
    "The gateway: an OpenAPI document with an API key (usage plan: throttle and daily quota at 10⁹, never reached), a request validator with the Order model, and a Lambda-proxy function answering two of the order's fields. Every stack answers the same status, content type and body (checked first).",
  ]
  return [
    {
      title: 'HTTP end to end, S2: POST /orders with an API key, a usage plan, a body model and a Lambda proxy (10 connections)',
      unit: 'req/s',
      peers,
      peerName: 'peer',
      rows: [
        ...S2_PEERS.map(([peer, goal, label]) => throughput.get(peer)!.row(`node:http + gateway ÷ ${label}`, goal)),
        headers.row(`${S2_HEADERS_ROW} ÷ ${bareLabel}`),
        floor.row(`${S2_FLOOR_ROW} ÷ ${bareLabel}`),
      ],
      notes: [...common, headersNote],
    },
    {
      title: 'HTTP end to end, S2: server CPU time per request (the same runs)',
      unit: 'µs',
      peers,
      peerName: 'peer',
      // Lower is better: the ratio is peer ÷ gateway, as throughput's gateway ÷ peer.
      rows: [
        ...S2_PEERS.map(([peer, , label]) => cpu.get(peer)!.row(`${label} ÷ node:http + gateway`, undefined, true)),
        headersCpu.row(`${bareLabel} ÷ ${S2_HEADERS_ROW}`, undefined, true),
        floorCpu.row(`${bareLabel} ÷ ${S2_FLOOR_ROW}`, undefined, true),
      ],
      notes: [
        ...common,
        "CPU time (user + system) of the server's process over each run ÷ the requests it answered, read from the child before and after the run. The ratio is the peer's ÷ the gateway's (higher is better), so it reads like the throughput ratio of a server that is CPU-bound.",
      ],
    },
    {
      title: 'HTTP end to end, S2: the cost of access logs and metrics (issue #16), node:http + gateway with them on and off',
      unit: 'req/s',
      peers,
      peerName: 'off',
      rows: [
        observed.row('access log (JSON) + metrics (Prometheus + EMF) on ÷ off', 0.9),
        { ...observedCpu.row('server CPU per request, off ÷ on (µs in the columns)', 0.9, true) },
      ],
      notes: [
        ...common,
        `${4 * rounds} pairs a set of ${short} s runs (on and off in alternating order), both served by one process on two ports (two processes differ by more than the cost read here). A JSON access-log line per request to a function that counts it; every request's metrics into a Prometheus registry and an EMF exporter (lines made each second, dropped). The in-process row (observability.bench.ts) is the strictest view of the same cost.`,
      ],
    },
    {
      title: 'HTTP end to end, S2: p99 latency, node:http + gateway beside bare node:http doing the work by hand',
      unit: 'ms',
      peers,
      peerName: 'bare node:http',
      // Lower is better: the ratio column is bare ÷ gateway, so the goal "gateway's p99 ≤ 1.3× bare's" reads ≥ 0.77×.
      rows: [
        ...[10, 100].map((c) => latency.get(c)!.row(`p99 at ${c} connections (bare ÷ gateway)`, 0.77, true)),
        ...[10, 100].map((c) => floorLatency.get(c)!.row(`p99 at ${c} connections (bare ÷ ${S2_FLOOR_ROW})`, undefined, true)),
      ],
      notes: [
        ...common,
        "Latency rows: columns are p99 in ms (gateway, bare); the ratio is bare ÷ gateway (higher is better), so the goal 0.77× is \"the gateway's p99 at most 1.3× bare's\". The last two rows (context, no goal) pair bare with API Gateway's work by hand: the floor under the goal.",
      ],
    },
    memorySection(memory!, heapPerRequest(), peers),
  ]
}

/**
 * RSS of the S2 gateway's server over a long run at 80 % of its capacity (issue #17: "reported; RSS flat"):
 * capacity is a 3 s run's mean at 10 connections; then autocannon holds 80 % of it for 5 minutes (20 s quick),
 * the child's RSS read every 10 s (2 s quick).
 */
async function rssOverTime(url: string, quick: boolean) {
  const capacity = (await autocannonRun(`${url}${S2_REQUEST.path}`, 3, S2_REQUEST, 10)).rps
  const [seconds, every] = quick ? [20, 2] : [300, 10]
  const rate = Math.round(capacity * 0.8)
  const samples: number[] = [(await serverUsage(url)).rss]
  const timer = setInterval(() => {
    serverUsage(url).then(
      (u) => samples.push(u.rss),
      () => {},
    )
  }, every * 1000)
  try {
    await autocannonRun(`${url}${S2_REQUEST.path}`, seconds, S2_REQUEST, 10, rate)
  } finally {
    clearInterval(timer)
  }
  samples.push((await serverUsage(url)).rss)
  return { capacity, rate, seconds, every, samples }
}

/** Heap allocated per S2 request through handle(), measured in a child of its own (./http/alloc.ts). */
function heapPerRequest(): number | null {
  const out = spawnSync(
    process.execPath,
    ['--expose-gc', '--max-semi-space-size=256', '--import', 'tsx', fileURLToPath(new URL('./http/alloc.ts', import.meta.url))],
    { encoding: 'utf8', env: process.env },
  )
  const line = out.stdout.split('\n').find((l) => l.startsWith('{'))
  return line ? (JSON.parse(line) as { bytesPerRequest: number | null }).bytesPerRequest : null
}

function memorySection(m: Awaited<ReturnType<typeof rssOverTime>>, bytes: number | null, peers: Record<string, string>): Section {
  const mb = (b: number) => (b / 1024 / 1024).toFixed(1)
  const first = m.samples[0]!
  const last = m.samples[m.samples.length - 1]!
  const later = m.samples.slice(Math.floor(m.samples.length / 2))
  const grew = last - first
  return {
    title: 'HTTP end to end, S2: memory of node:http + gateway',
    unit: 'bytes',
    peers,
    peerName: 'at the start',
    rows: [
      {
        name: `RSS after ${m.seconds} s at 80 % of capacity (${m.rate} req/s) ÷ at its start`,
        ours: last,
        peer: first,
        ratio: last / first,
      },
      { name: 'heap allocated per request (handle(), in process)', ours: bytes ?? Number.NaN, peer: Number.NaN, ratio: Number.NaN },
    ],
    notes: [
      `Capacity: ${Math.round(m.capacity)} req/s (a 3 s run at 10 connections); then ${m.rate} req/s for ${m.seconds} s. RSS every ${m.every} s, MB: ${m.samples.map(mb).join(', ')}.`,
      `RSS grew ${mb(grew)} MB over the run; over its second half it moved between ${mb(Math.min(...later))} and ${mb(Math.max(...later))} MB.`,
      "Heap allocated per request: a child with a 256 MB young generation runs windows of 1,000 requests with no collection inside (seen by a gc PerformanceObserver); the used heap's growth ÷ 1,000, median of 9 windows. Reported, no goal.",
    ],
  }
}

export default async function run(): Promise<Section[]> {
  const quick = process.env.BENCH_QUICK === '1'
  return [...(await runS1(quick)), ...(await runS2(quick))]
}
