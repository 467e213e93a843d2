/**
 * A real Redis Cluster for the tests: redis-server processes started with `--cluster-enabled yes`, joined by
 * `redis-cli --cluster create … --cluster-replicas 1`, stopped (and their files removed) by `stop()`.
 * Cluster tutorial: https://redis.io/docs/latest/operate/oss_and_stack/management/scaling/
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { Cluster, Redis } from 'ioredis'
import { reportMissingTool } from '@gatehousejs/test-kit'

const run = promisify(execFile)
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

/** Whether `bin --version` runs. */
export function hasTool(bin: string): boolean {
  return spawnSync(bin, ['--version'], { stdio: 'ignore' }).status === 0
}

/** True when every binary is there; otherwise fails the file under `CI` and prints why it is skipped elsewhere. */
export function requireTools(what: string, bins: string[]): boolean {
  const missing = bins.filter((b) => !hasTool(b))
  if (missing.length === 0) return true
  reportMissingTool(what, `${missing.join(' and ')} not found on PATH (apt-get install redis-server)`)
  return false
}

/** Polls `check` until it holds; throws (naming `what`) after `limitMs`, so a broken cluster fails instead of hanging. */
export async function until(what: string, check: () => Promise<boolean> | boolean, limitMs = 30_000): Promise<void> {
  const end = Date.now() + limitMs
  for (;;) {
    try {
      if (await check()) return
    } catch {
      // Not yet: a node restarting or electing.
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await sleep(50)
  }
}

/** A plain client to one node (for CLUSTER and INFO commands), failing fast while the node is away. */
export function nodeClient(port: number): Redis {
  const c = new Redis({ host: '127.0.0.1', port, enableOfflineQueue: false, maxRetriesPerRequest: 0, lazyConnect: false })
  c.on('error', () => {})
  return c
}

export async function ready(c: Redis): Promise<Redis> {
  if (c.status !== 'ready') await new Promise((resolve) => c.once('ready', resolve))
  return c
}

/** One started server: its port and process (null once stopped). */
export interface ServerProcess {
  port: number
  proc: ChildProcess | null
}

/** Starts `bin` on `port` with `args`, resolving once it answers PING. */
export async function startServer(bin: string, port: number, args: string[]): Promise<ServerProcess> {
  const proc = spawn(
    bin,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', ...args],
    {
      stdio: 'ignore',
    },
  )
  const server: ServerProcess = { port, proc }
  proc.once('exit', () => {
    server.proc = null
  })
  const c = nodeClient(port)
  try {
    await until(`${bin} on port ${port}`, async () => (await c.ping()) === 'PONG', 10_000)
  } finally {
    c.disconnect()
  }
  return server
}

/** Kills a started server (SIGKILL: no save, no goodbye) and waits for it to exit. */
export async function kill(server: ServerProcess): Promise<void> {
  const proc = server.proc
  if (!proc) return
  const exited = new Promise((r) => proc.once('exit', r))
  proc.kill('SIGKILL')
  await exited
}

/** One node as `CLUSTER NODES` lists it. */
export interface ClusterNode {
  id: string
  port: number
  master: boolean
  failed: boolean
  /** The master's id, for a replica. */
  masterId: string | null
  /** Slot ranges served, for a master. */
  slots: [number, number][]
}

export function parseNodes(text: string): ClusterNode[] {
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const [id, addr, flags, masterId, , , , , ...slots] = line.split(' ')
      const port = Number(addr!.split('@')[0]!.split(':')[1])
      return {
        id: id!,
        port,
        master: flags!.split(',').includes('master'),
        failed: /fail/.test(flags!),
        masterId: masterId === '-' ? null : masterId!,
        slots: slots
          .filter((s) => !s.startsWith('['))
          .map((s) => {
            const [a, b] = s.split('-').map(Number)
            return [a!, b ?? a!] as [number, number]
          }),
      }
    })
}

export interface TestCluster {
  ports: number[]
  servers: ServerProcess[]
  /** An ioredis Cluster client as an application would create it (offline queue off, no retries per request). */
  client(): Cluster
  /** CLUSTER NODES as one live node sees it. */
  nodes(): Promise<ClusterNode[]>
  /** The master serving `slot` and its replicas, as a live node sees them. */
  shardOf(slot: number): Promise<{ master: ClusterNode; replicas: ClusterNode[] }>
  /** Asks a live node for CLUSTER KEYSLOT. */
  keyslot(key: string): Promise<number>
  /** Waits until every live node reports cluster_state:ok. */
  waitOk(): Promise<void>
  stop(): Promise<void>
}

/**
 * Starts one redis-server per port with cluster mode on (configs in a temporary directory), creates a cluster of
 * `ports.length / 2` masters with one replica each, and waits until every node says `cluster_state:ok` and every
 * replica is in sync. `cluster-node-timeout` is 1 s so a killed master fails over within a few seconds.
 */
export async function startCluster(ports: number[]): Promise<TestCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-cluster-'))
  const servers: ServerProcess[] = []
  const clients: Cluster[] = []
  const admin = new Map<number, Redis>()
  const adminOf = (port: number) => {
    let c = admin.get(port)
    if (!c) admin.set(port, (c = nodeClient(port)))
    return c
  }
  const live = () => servers.filter((s) => s.proc !== null)
  const stop = async () => {
    for (const c of clients) c.disconnect()
    for (const c of admin.values()) c.disconnect()
    await Promise.all(servers.map(kill))
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    for (const port of ports) {
      servers.push(
        await startServer('redis-server', port, [
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          join(dir, `nodes-${port}.conf`),
          '--cluster-node-timeout',
          '1000',
          '--dir',
          dir,
        ]),
      )
    }
    await run('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '1', '--cluster-yes'])
  } catch (err) {
    await stop()
    throw err
  }
  const nodes = async () => {
    let last: unknown
    for (const s of live()) {
      try {
        return parseNodes(String(await adminOf(s.port).call('CLUSTER', 'NODES')))
      } catch (err) {
        last = err
      }
    }
    throw last
  }
  const cluster: TestCluster = {
    ports,
    servers,
    client() {
      const c = new Cluster([{ host: '127.0.0.1', port: live()[0]!.port }], {
        enableOfflineQueue: false,
        redisOptions: { maxRetriesPerRequest: 0 },
      })
      c.on('error', () => {})
      clients.push(c)
      return c
    },
    nodes,
    async shardOf(slot) {
      const all = (await nodes()).filter((n) => !n.failed)
      const master = all.find((n) => n.master && n.slots.some(([a, b]) => slot >= a && slot <= b))
      if (!master) throw new Error(`no master serves slot ${slot}`)
      return { master, replicas: all.filter((n) => n.masterId === master.id) }
    },
    async keyslot(key) {
      return Number(await adminOf(live()[0]!.port).call('CLUSTER', 'KEYSLOT', key))
    },
    async waitOk() {
      await until('cluster_state:ok on every node', async () => {
        for (const s of live()) {
          const info = String(await adminOf(s.port).call('CLUSTER', 'INFO'))
          if (!info.includes('cluster_state:ok')) return false
          const repl = String(await adminOf(s.port).info('replication'))
          if (repl.includes('role:slave') && !repl.includes('master_link_status:up')) return false
        }
        return true
      })
    },
    stop,
  }
  try {
    await cluster.waitOk()
  } catch (err) {
    await stop()
    throw err
  }
  return cluster
}

/** Waits until a Cluster client is ready (with the offline queue off, commands before that fail). */
export async function clusterReady(c: Cluster): Promise<Cluster> {
  if (c.status !== 'ready') await new Promise((resolve) => c.once('ready', resolve))
  return c
}
