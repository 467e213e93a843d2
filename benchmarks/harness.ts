/**
 * The benchmark harness: every module is timed beside its best peer in the same process.
 *
 * A bench file (`benchmarks/<name>.bench.ts`) default-exports a function returning a {@link Section}.
 * Before timing, each case's two implementations are run once and their outputs compared with
 * `same` (defaults to deep equality), so a benchmark never times a wrong answer.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { isDeepStrictEqual } from 'node:util'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { createRequire } from 'node:module'

export interface Case {
  /** What is measured, e.g. `static path`. */
  name: string
  /** Our implementation; called in a tight loop. */
  ours: () => unknown
  /** The peer's implementation of the same job. */
  peer: () => unknown
  /** Compare the two outputs before timing; throw or return false when they disagree. */
  same?: (ours: unknown, peer: unknown) => boolean
}

export interface Row {
  name: string
  ours: number
  peer: number
  ratio: number
  goal?: number
}

export interface Section {
  title: string
  /** Unit of the figures, e.g. `lookups/s`. */
  unit: string
  /** Names and versions of the peers, e.g. `{ 'find-my-way': '9.1.0' }`. */
  peers: Record<string, string>
  /** Name of the peer column. */
  peerName: string
  rows: Row[]
  notes?: string[]
}

/** Version of an installed package, for RESULTS.md. */
export function versionOf(name: string): string {
  const require = createRequire(import.meta.url)
  try {
    return (require(`${name}/package.json`) as { version: string }).version
  } catch {
    // Packages whose exports map hides package.json: walk to it from the resolved entry.
    const entry = require.resolve(name)
    const marker = `/node_modules/${name}/`
    const root = entry.slice(0, entry.indexOf(marker) + marker.length)
    return (require(`${root}package.json`) as { version: string }).version
  }
}

const quick = process.env.BENCH_QUICK === '1'

/**
 * The timing loop, compiled afresh for every function it times. One shared loop would see every case's
 * functions at its single `fn()` call site: V8 inlines the first one it meets and calls the later ones through a
 * megamorphic site, so whichever side ran first in a process looked faster (up to 20 % on sub-100 ns operations).
 */
const LOOP_SOURCE = `
  let ops = 0
  const t0 = clock()
  let elapsed = 0
  do {
    for (let i = 0; i < batch; i++) fn()
    ops += batch
    elapsed = clock() - t0
  } while (elapsed < ms)
  return (ops * 1000) / elapsed`

type Clock = () => number
type Timer = (fn: () => unknown, batch: number, ms: number, clock: Clock) => number

const wallClock: Clock = () => performance.now()
/** Milliseconds of CPU time this process used: time spent descheduled by other processes is not counted. */
const cpuClock: Clock = () => {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1000
}

/** A timer of its own for `fn`, with a batch size calibrated so that one batch takes about 10 ms. */
function timerFor(fn: () => unknown, clock: Clock = wallClock): (ms: number) => number {
  const time = new Function('fn', 'batch', 'ms', 'clock', LOOP_SOURCE) as Timer
  let batch = 1
  for (;;) {
    const t0 = performance.now()
    time(fn, batch, 0, clock)
    if (performance.now() - t0 >= 10 || batch >= 1 << 26) break
    batch *= 2
  }
  return (ms) => time(fn, batch, ms, clock)
}

/**
 * Runs every case's two sides, round-robin in small chunks, before any of them is timed, so each row is timed on
 * code that has seen the table's whole mix of inputs, as a server's code has, whatever the row's place in the
 * table. Without it the first row timed both sides' code while it had seen that one input only (V8 compiles away
 * the branches it never takes and inlines deeper), and each later row inherited what the rows before it had
 * left: router `GET /user` measured 0.86–1.02× as the first row and 1.25–1.76× when timed after the other rows,
 * because the peer lost more speed than ours once other inputs deoptimized it; the CPU-time cross-check, run
 * after every row, said 1.3–1.5× all along. Both sides get the same calls here.
 */
async function warmTogether(cases: readonly Case[]): Promise<void> {
  const fns = cases.flatMap((c) => [c.peer, c.ours])
  // Several passes, so both sides' code is optimized (and reoptimized after the deopts the mix causes) in
  // between; capped in time so slow cases stay cheap. Promise reactions left queued run after each pass.
  const t0 = performance.now()
  for (let pass = 0; pass < WARM_PASSES && performance.now() - t0 < WARM_MS; pass++) {
    warmPass(fns)
    await drain()
  }
}

const WARM_PASSES = 200
const WARM_MS = quick ? 100 : 400

function warmPass(fns: ReadonlyArray<() => unknown>): void {
  for (const fn of fns) for (let i = 0; i < 256; i++) fn()
}

/**
 * A cross-check in CPU time for a table's notes: per case, short bursts of each side alternate and the median of
 * the bursts' ratios is kept, so load from other processes on a shared machine moves it little.
 */
export function cpuTimeRatios(cases: Case[], label: (name: string) => string = (name) => name): string {
  const rounds = quick ? 5 : 15
  // Synchronous (it feeds a note's text), so no draining between passes: only sync cases use it.
  const fns = cases.flatMap((c) => [c.peer, c.ours])
  const t0 = performance.now()
  for (let pass = 0; pass < WARM_PASSES && performance.now() - t0 < WARM_MS; pass++) warmPass(fns)
  return cases
    .map((c) => {
      const ours = timerFor(c.ours, cpuClock)
      const peer = timerFor(c.peer, cpuClock)
      const ratios: number[] = []
      for (let r = 0; r < rounds; r++) {
        const p = peer(20)
        ratios.push(ours(20) / p)
      }
      return `${label(c.name)} ${median(ratios).toFixed(2)}×`
    })
    .join(', ')
}

/** Operations per second of `fn`, from the median of several timed rounds. */
export function opsPerSecond(fn: () => unknown, roundMs = quick ? 40 : 250, rounds = quick ? 3 : 7): number {
  const round = timerFor(fn)
  const results: number[] = []
  for (let r = 0; r < rounds; r++) results.push(round(roundMs))
  return median(results)
}

/** Lets queued promise reactions and timers run, so neither side is timed against work the other left behind. */
const drain = () => new Promise<void>((resolve) => setImmediate(resolve))

/**
 * Time every case's two implementations: outputs checked equal first, every case warmed together
 * ({@link warmTogether}), one warm-up round each, then rounds that
 * alternate which side goes first. The ops/s columns are each side's median; the ratio is the median of the
 * rounds' own ratios, so a load spike lasting a round or two on this shared machine moves it little. Promise
 * reactions a side leaves queued (an async peer called in a synchronous loop) run between rounds, untimed.
 */
export async function compare(cases: Case[], goal?: number): Promise<Row[]> {
  const rounds = quick ? 3 : 9
  const roundMs = quick ? 40 : 200
  const rows: Row[] = []
  for (const c of cases) {
    const a = c.ours()
    const b = c.peer()
    const agree = c.same ? c.same(a, b) : isDeepStrictEqual(a, b)
    if (!agree) throw new Error(`benchmark case "${c.name}": ours and peer disagree: ${show(a)} vs ${show(b)}`)
  }
  await warmTogether(cases)
  for (const c of cases) {
    const peerRound = timerFor(c.peer)
    await drain()
    const oursRound = timerFor(c.ours)
    await drain()
    const peerRates: number[] = []
    const oursRates: number[] = []
    const ratios: number[] = []
    for (let r = -1; r < rounds; r++) {
      let p: number
      let o: number
      if (r % 2 === 0) {
        p = peerRound(roundMs)
        await drain()
        o = oursRound(roundMs)
      } else {
        o = oursRound(roundMs)
        await drain()
        p = peerRound(roundMs)
      }
      await drain()
      if (r < 0) continue // warm-up
      peerRates.push(p)
      oursRates.push(o)
      ratios.push(o / p)
    }
    rows.push({
      name: c.name,
      ours: median(oursRates),
      peer: median(peerRates),
      ratio: median(ratios),
      ...(goal === undefined ? {} : { goal }),
    })
  }
  return rows
}

function show(v: unknown): string {
  try {
    return JSON.stringify(v)?.slice(0, 300) ?? String(v)
  } catch {
    return String(v)
  }
}

/** Format a number of operations per second for a table. */
export function formatOps(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} k`
  // Small figures (latencies in ms) keep their fraction.
  return n < 10 ? n.toFixed(2) : n.toFixed(0)
}

/**
 * Start this bench file again as a child process serving one stack (selected by `env`), and wait for the line
 * `{"port":N}` it prints once listening (`ports`: that line, with any other servers of the same process). Servers run
 * apart from autocannon, which runs in the parent.
 */
export function startServerChild(
  file: string,
  env: Record<string, string>,
  name: string,
  nodeArgs: string[] = [],
): Promise<{ url: string; child: ChildProcess; ports: Record<string, number> }> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', file], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      const line = out.split('\n').find((l) => l.startsWith('{"port"'))
      if (!line) return
      const ports = JSON.parse(line) as Record<string, number> & { port: number }
      resolve({ url: `http://127.0.0.1:${ports.port}`, child, ports })
    })
    child.on('exit', (code) => reject(new Error(`${name} server exited with ${code}`)))
  })
}

/** What one autocannon run measured: mean requests/s, the 99th-percentile latency (ms) and the requests sent. */
export interface LoadResult {
  rps: number
  p99: number
  total: number
}

/** The path a bench server child answers with its own CPU time and memory (see {@link exposeUsage}). */
export const USAGE_PATH = '/__bench/usage'

/** A server child's CPU time (µs, user + system) and memory (bytes). */
export interface ServerUsage {
  cpu: number
  rss: number
  heapUsed: number
}

/**
 * Let `server` answer `GET /__bench/usage` with its process's {@link ServerUsage}, before any of its own request
 * listeners see the request (the stack under test never does).
 */
export function exposeUsage(server: Server): void {
  const listeners = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[]
  server.removeAllListeners('request')
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.url !== USAGE_PATH) {
      for (const listener of listeners) listener.call(server, req, res)
      return
    }
    const { user, system } = process.cpuUsage()
    const { rss, heapUsed } = process.memoryUsage()
    res.end(JSON.stringify({ cpu: user + system, rss, heapUsed } satisfies ServerUsage))
  })
}

/** A server child's usage now. */
export async function serverUsage(url: string): Promise<ServerUsage> {
  return (await (await fetch(`${url}${USAGE_PATH}`)).json()) as ServerUsage
}

/** The request autocannon sends (default: GET with no body). */
export interface LoadRequest {
  method?: 'GET' | 'POST'
  headers?: Record<string, string>
  body?: string
}

/** One autocannon run on `url` (`connections`, no pipelining); any non-2xx or error throws. */
export async function autocannonRun(
  url: string,
  seconds: number,
  request: LoadRequest = {},
  connections = 10,
  overallRate?: number,
): Promise<LoadResult> {
  const { default: autocannon } = await import('autocannon')
  // autocannon's histogram keeps whole milliseconds: a p99 under a few ms reads 1 or 2, and a ratio of two such
  // reads is 0.5 or 1 whatever the servers did. Each response's time, as autocannon measured it (fractional ms),
  // is kept here instead.
  const times: number[] = []
  const result = await new Promise<Awaited<ReturnType<typeof autocannon>>>((resolve, reject) => {
    const options = { url, connections, pipelining: 1, duration: seconds, ...request, ...(overallRate ? { overallRate } : {}) }
    const run = autocannon(options, (error, done) => (error ? reject(error) : resolve(done)))
    run.on('response', (_client, _status, _bytes, ms) => times.push(ms))
  })
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`)
  return { rps: result.requests.average, p99: percentile(times, 0.99), total: result.requests.total }
}

/** The `q` quantile (0–1) of a non-empty list, nearest rank. */
function percentile(xs: readonly number[], q: number): number {
  const s = Float64Array.from(xs).sort()
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!
}

/** Average requests/s autocannon reaches on `url` (10 connections, no pipelining); any non-2xx or error throws. */
export async function autocannonRps(url: string, seconds: number, headers: Record<string, string> = {}): Promise<number> {
  return (await autocannonRun(url, seconds, { headers })).rps
}

/** Median of a non-empty list. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length / 2
  return s.length % 2 === 1 ? s[Math.floor(mid)]! : (s[mid - 1]! + s[mid]!) / 2
}

/** A case whose implementations are awaited (they may return promises). */
export interface AsyncCase {
  name: string
  ours: () => unknown
  peer: () => unknown
}

export interface AsyncCompareOptions {
  goal?: number
  /** Timed rounds per side, alternating peer and ours so a load spike hits both alike. */
  rounds: number
  roundMs: number
  /** Callers awaiting the function in a loop at once (1: one call at a time). */
  concurrency?: number
  /**
   * Rate per second of this process's CPU time (user + system) instead of wall time, and the ratio the median of the
   * rounds' paired ratios: a process sharing the machine with others then moves the figures much less.
   */
  cpuTime?: boolean
}

const cpuSeconds = () => {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1e6
}

/** Calls/s with `concurrency` callers each awaiting `fn` in a loop for `roundMs` (per CPU second with `cpuTime`). */
async function asyncRound(fn: () => unknown, roundMs: number, concurrency: number, cpuTime = false): Promise<number> {
  let ops = 0
  const c0 = cpuTime ? cpuSeconds() : 0
  const t0 = performance.now()
  const end = t0 + roundMs
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        await fn()
        ops++
      }
    }),
  )
  return cpuTime ? ops / (cpuSeconds() - c0) : (ops * 1000) / (performance.now() - t0)
}

/** {@link compare} for async implementations: outputs checked equal, one warm-up round each, then medians. */
export async function compareAsync(cases: AsyncCase[], options: AsyncCompareOptions): Promise<Row[]> {
  const { rounds, roundMs, goal, cpuTime = false } = options
  const concurrency = options.concurrency ?? 1
  const rows: Row[] = []
  for (const c of cases) {
    const a = await c.ours()
    const b = await c.peer()
    if (!isDeepStrictEqual(a, b)) throw new Error(`benchmark case "${c.name}": ours and peer disagree: ${show(a)} vs ${show(b)}`)
    await asyncRound(c.peer, roundMs, concurrency, cpuTime)
    await asyncRound(c.ours, roundMs, concurrency, cpuTime)
    const peerRates: number[] = []
    const oursRates: number[] = []
    const ratios: number[] = []
    for (let r = 0; r < rounds; r++) {
      // Alternate which side goes first, so neither always inherits the other's garbage.
      const first = r % 2 === 0 ? c.peer : c.ours
      const x = await asyncRound(first, roundMs, concurrency, cpuTime)
      const y = await asyncRound(first === c.peer ? c.ours : c.peer, roundMs, concurrency, cpuTime)
      const [p, o] = first === c.peer ? [x, y] : [y, x]
      peerRates.push(p)
      oursRates.push(o)
      ratios.push(o / p)
    }
    const ours = median(oursRates)
    const peer = median(peerRates)
    rows.push({ name: c.name, ours, peer, ratio: cpuTime ? median(ratios) : ours / peer, ...(goal === undefined ? {} : { goal }) })
  }
  return rows
}
