/**
 * Test helper: run `gatehouse serve` as a child process (the TypeScript source through tsx, so no build or link
 * is needed), read the URL it prints, and collect what it writes.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url))

export interface CliProcess {
  url: string
  child: ChildProcess
  stdout(): string
  stderr(): string
  /** Resolve once `pattern` appears in the stream's output (after `from` characters). */
  waitFor(stream: 'stdout' | 'stderr', pattern: RegExp, from?: number, timeoutMs?: number): Promise<RegExpExecArray>
  stop(): Promise<void>
}

const running = new Set<ChildProcess>()

/** Start `gatehouse serve <args> --port 0`. */
export async function startCli(args: string[], env: Record<string, string> = {}): Promise<CliProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', ...args, '--port', '0'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  running.add(child)
  const output = { stdout: '', stderr: '' }
  const waiters = new Set<() => void>()
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    output.stdout += chunk
    for (const w of waiters) w()
  })
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    output.stderr += chunk
    for (const w of waiters) w()
  })
  child.on('exit', () => {
    running.delete(child)
    for (const w of waiters) w()
  })

  const waitFor = (stream: 'stdout' | 'stderr', pattern: RegExp, from = 0, timeoutMs = 15_000) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(output[stream].slice(from))
        if (match) {
          done()
          resolve(match)
        } else if (child.exitCode !== null || child.signalCode !== null) {
          done()
          reject(
            new Error(
              `gatehouse exited (${child.exitCode ?? child.signalCode}) before ${pattern}\nstdout:\n${output.stdout}\nstderr:\n${output.stderr}`,
            ),
          )
        }
      }
      const timer = setTimeout(() => {
        done()
        reject(new Error(`timed out waiting for ${pattern} on ${stream}\nstdout:\n${output.stdout}\nstderr:\n${output.stderr}`))
      }, timeoutMs)
      const done = () => {
        clearTimeout(timer)
        waiters.delete(check)
      }
      waiters.add(check)
      check()
    })

  const started = await waitFor('stdout', /gatehouse serving \S+ on (http:\/\/\S+)/)
  return {
    url: started[1] as string,
    child,
    stdout: () => output.stdout,
    stderr: () => output.stderr,
    waitFor,
    stop: () => stopChild(child),
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 3000)
    child.once('exit', () => {
      clearTimeout(force)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

/** Stop every process this file started (afterAll). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map(stopChild))
}

/** Run `gatehouse <args>` to completion (a command other than serve): its exit code and output. */
export function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  running.add(child)
  let stdout = ''
  let stderr = ''
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
  })
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  return new Promise((resolve) => {
    child.on('close', (code) => {
      running.delete(child)
      resolve({ code, stdout, stderr })
    })
  })
}
