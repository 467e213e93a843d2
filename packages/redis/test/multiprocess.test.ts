import { fork, spawn, type ChildProcess } from 'node:child_process'
import cluster, { type Worker as ClusterWorker } from 'node:cluster'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { connectRedis, redisPort, requireRedis } from '@gatehousejs/test-kit'

const available = await requireRedis('@gatehousejs/redis multi-process tests')
const workerPath = fileURLToPath(new URL('./worker.ts', import.meta.url))
const clusterWorkerPath = fileURLToPath(new URL('./cluster-worker.ts', import.meta.url))
const root = fileURLToPath(new URL('../../../', import.meta.url))

interface Counts {
  admitted: number
  refused: number
  unavailableAdmitted: number
  unavailableRefused: number
  calmRefused: number
  calmTaken: number
  first: number
  last: number
}

interface Worker {
  child: ChildProcess
  ready: Promise<void>
  done: Promise<Counts>
}

function startWorker(job: object, onStarted?: () => void): Worker {
  const child = fork(workerPath, [], { execArgv: ['--import', 'tsx'], cwd: root, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  let ready!: () => void
  const readyP = new Promise<void>((r) => (ready = r))
  const done = new Promise<Counts>((resolve, reject) => {
    child.on('message', (m: { type: string; counts?: Counts }) => {
      if (m.type === 'ready') ready()
      if (m.type === 'started') onStarted?.()
      if (m.type === 'done') resolve(m.counts!)
    })
    child.on('exit', (code) => (code === 0 ? undefined : reject(new Error(`worker exited with ${code}`))))
    child.on('error', reject)
  })
  child.send(job)
  return { child, ready: readyP, done }
}

/** Waits until every worker is connected, then lets them all go at once. */
async function go(workers: Worker[]): Promise<void> {
  await Promise.all(workers.map((w) => w.ready))
  for (const w of workers) w.child.send('go')
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.listen(0, '127.0.0.1', () => {
      const p = (srv.address() as { port: number }).port
      srv.close(() => resolve(p))
    })
    srv.on('error', reject)
  })
}

describe.skipIf(!available)('many processes on one Redis', () => {
  it('4 workers hammering one key admit no more than burst + rate × elapsed; a calm client is never refused', async () => {
    const rate = 200
    const burst = 50
    const prefix = `gh-test:${process.pid}:mp:`
    const job = { port: redisPort, prefix, rate, burst, durationMs: 2000, failure: 'closed', concurrency: 8, timeoutMs: 5000 }
    const workers = [0, 1, 2, 3].map((id) => startWorker({ ...job, id }))
    await Promise.all(workers.map((w) => w.ready))
    // The window is measured by this test around every worker's whole run: it can only be longer than Redis's.
    const t0 = Date.now()
    for (const w of workers) w.child.send('go')
    const counts = await Promise.all(workers.map((w) => w.done))
    const elapsed = Date.now() - t0
    const admitted = counts.reduce((n, c) => n + c.admitted, 0)
    const refused = counts.reduce((n, c) => n + c.refused, 0)
    // Fail-closed: a decision that timed out on a loaded machine counts as refused here, which can only lower the
    // admitted count, never raise it above the bound.
    expect(counts.every((c) => c.unavailableAdmitted === 0)).toBe(true)
    console.info(`4 workers: admitted ${admitted}, refused ${refused}, bound ${burst + (rate * elapsed) / 1000} over ${elapsed} ms`)
    expect(admitted).toBeLessThanOrEqual(burst + (rate * elapsed) / 1000)
    // The key really was contended: far more asked than admitted.
    expect(refused).toBeGreaterThan(admitted)
    // And the limiter is not overly strict either: at least the rate over the hammering time was admitted.
    const busy = Math.min(...counts.map((c) => c.last - c.first))
    expect(admitted).toBeGreaterThanOrEqual(Math.floor((rate * (busy - 500)) / 1000))
    for (const c of counts) {
      expect(c.calmTaken).toBeGreaterThan(5)
      expect(c.calmRefused).toBe(0)
    }
  })

  it('with Redis stopped mid-run, fail-open admits and fail-closed refuses, and nothing crashes', async () => {
    const own = await freePort()
    const server = spawn('redis-server', ['--port', String(own), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    })
    try {
      await waitForPort(own)
      let started = 0
      let release!: () => void
      const allStarted = new Promise<void>((r) => (release = r))
      const job = { port: own, prefix: 'gh-fail:', rate: 100, burst: 20, durationMs: 1500, concurrency: 2 }
      const onStarted = () => ++started === 2 && release()
      const open = startWorker({ ...job, id: 0, failure: 'open' }, onStarted)
      const closed = startWorker({ ...job, id: 1, failure: 'closed' }, onStarted)
      await go([open, closed])
      await allStarted
      await new Promise((r) => setTimeout(r, 500))
      server.kill('SIGKILL')
      const [o, c] = await Promise.all([open.done, closed.done])
      // Before the stop both decided normally; after it, each fell back to its policy and kept running.
      expect(o.admitted + o.refused).toBeGreaterThan(0)
      expect(c.admitted + c.refused).toBeGreaterThan(0)
      expect(o.unavailableAdmitted).toBeGreaterThan(0)
      expect(o.unavailableRefused).toBe(0)
      expect(c.unavailableRefused).toBeGreaterThan(0)
      expect(c.unavailableAdmitted).toBe(0)
    } finally {
      server.kill('SIGKILL')
    }
  })
})

type Tally = Record<string, number>

/** Sends a phase to a cluster worker; resolves with its answer. */
function ask<T = Tally>(w: ClusterWorker, phase: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: { phase: string; result: T }) => {
      if (m.phase !== phase) return
      w.off('message', onMessage)
      resolve(m.result)
    }
    w.on('message', onMessage)
    w.once('exit', (code) => reject(new Error(`cluster worker exited with ${code} during ${phase}`)))
    w.send({ phase })
  })
}

const sum = (xs: Tally[], k: string | number) => xs.reduce((n, x) => n + (x[k] ?? 0), 0)

// Usage plans, throttles and quotas: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html
// Lambda authorizer caching: https://docs.aws.amazon.com/apigateway/latest/developerguide/configure-api-gateway-lambda-authorization.html
describe.skipIf(!available)('four cluster workers on one Redis', () => {
  it('share exact throttles and quotas, one authorizer call, and registry changes', async () => {
    const job = {
      port: redisPort,
      prefix: `gh-test:${process.pid}:cluster:${Date.now().toString(36)}:`,
      exact: { burst: 37 },
      rated: { rate: 100, burst: 30, durationMs: 1500, concurrency: 4 },
      quota: { limit: 50, requests: 30 },
    }
    cluster.setupPrimary({ exec: clusterWorkerPath, execArgv: ['--import', 'tsx'], cwd: root, silent: false })
    const workers = [0, 1, 2, 3].map(() => cluster.fork())
    try {
      await Promise.all(
        workers.map(
          (w) =>
            new Promise<void>((resolve, reject) => {
              const onMessage = (m: { phase: string }) => {
                if (m.phase === 'hello') w.send(job)
                else if (m.phase === 'ready') {
                  w.off('message', onMessage)
                  resolve()
                }
              }
              w.on('message', onMessage)
              w.once('exit', (code) => reject(new Error(`cluster worker exited with ${code}`)))
            }),
        ),
      )
      const all = (phase: string) => Promise.all(workers.map((w) => ask(w, phase)))

      // Rate 0: the bucket never refills, so exactly `burst` of 4 × burst requests are admitted, whoever sends them.
      const exact = await all('exact')
      expect(sum(exact, 200)).toBe(job.exact.burst)
      expect(sum(exact, 429)).toBe(3 * job.exact.burst)

      // A refilling bucket: at most burst + rate × the window this test measured around every worker's run.
      const t0 = Date.now()
      const rated = await all('rated')
      const elapsed = Date.now() - t0
      const admitted = sum(rated, 200)
      expect(sum(rated, 503)).toBe(0)
      expect(admitted).toBeLessThanOrEqual(job.rated.burst + (job.rated.rate * elapsed) / 1000)
      expect(sum(rated, 429)).toBeGreaterThan(admitted)
      const busy = Math.min(...rated.map((r) => r.last! - r.first!))
      expect(admitted).toBeGreaterThanOrEqual(Math.floor((job.rated.rate * (busy - 500)) / 1000))

      // The quota is exact: 4 × 30 requests, 50 admitted.
      const quota = await all('quota')
      expect(sum(quota, 200)).toBe(job.quota.limit)
      expect(sum(quota, 429)).toBe(4 * job.quota.requests - job.quota.limit)

      // One worker's authorizer result serves the three others (one call in all, within the TTL).
      const firstAuthz = await ask(workers[0]!, 'authz')
      const restAuthz = await Promise.all(workers.slice(1).map((w) => ask(w, 'authz')))
      expect(sum([firstAuthz, ...restAuthz], 200)).toBe(20)
      expect(sum([firstAuthz, ...restAuthz], 'calls')).toBe(1)

      // A key disabled, and another created, in worker 0: the others follow within the bound (10 s of polling).
      for (const r of await all('regBefore')) expect(r).toEqual({ reg: 200, late: 403 })
      await ask(workers[0]!, 'disable')
      const after = await Promise.all(workers.slice(1).map((w) => ask(w, 'regAfter')))
      for (const r of after) {
        expect(r.disabledAfter).toBeGreaterThan(0)
        expect(r.lateAfter).toBeGreaterThan(0)
      }
      console.info(
        `cluster: exact ${sum(exact, 200)}/${4 * job.exact.burst}, rated ${admitted} (bound ${job.rated.burst + (job.rated.rate * elapsed) / 1000}),` +
          ` quota ${sum(quota, 200)}/${4 * job.quota.requests}, registry polls ${JSON.stringify(after)}`,
      )
      for (const r of await Promise.all(workers.map((w) => ask<{ errors: string[] }>(w, 'errors')))) expect(r.errors).toEqual([])
      await all('stop')
    } finally {
      for (const w of workers) if (!w.isDead()) w.kill()
      const admin = connectRedis()
      await new Promise((r) => admin.once('ready', r))
      const keys = await admin.keys(`${job.prefix}*`)
      if (keys.length > 0) await admin.del(...keys)
      admin.disconnect()
    }
  }, 60_000)
})

async function waitForPort(p: number): Promise<void> {
  const { connect } = await import('node:net')
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(p, '127.0.0.1', () => {
        s.end()
        resolve(true)
      })
      s.on('error', () => resolve(false))
    })
    if (ok) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`redis-server did not start on port ${p}`)
}
