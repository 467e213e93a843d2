import { fork, spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { redisPort, requireRedis } from '@gatehousejs/test-kit'

const available = await requireRedis('@gatehousejs/redis multi-process tests')
const workerPath = fileURLToPath(new URL('./worker.ts', import.meta.url))
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
