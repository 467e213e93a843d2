/**
 * Loading handlers in process: a template function's `CodeUri` + `Handler` (SAM's Node.js runtimes, without
 * Docker), or a `--functions` module's exports. Each is wrapped so its environment variables are in
 * `process.env` while it is loaded and when each invocation starts, and so it times out after its `Timeout`.
 */
import { existsSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { LambdaHandler } from '@gatehousejs/core'
import type { FunctionSpec } from './sam'

const EXTENSIONS = ['.mjs', '.js', '.cjs', '.ts', '.mts', '.cts']

/** A loaded handler and the file it came from (watched with `--watch`). */
export interface LoadedFunction {
  handler: LambdaHandler
  file: string
}

let generation = 0

/**
 * Import a module afresh: a new URL query for ES modules (their cache is keyed by URL), and the CommonJS cache
 * entries of the file dropped, so a reload sees the edited file.
 */
export async function importFresh(file: string): Promise<Record<string, unknown>> {
  // Works in the ESM and the CJS build alike (no import.meta): the cache is shared by every require.
  delete createRequire(file).cache[file]
  generation++
  const url = `${pathToFileURL(file).href}?gatehouse=${generation}`
  const mod = (await import(url)) as Record<string, unknown>
  return mod
}

/** The file a `Handler` (`src/app.handler`) names inside `codeDir`. */
export function handlerFile(codeDir: string, handler: string): { file: string; exportPath: string[] } {
  const dot = handler.lastIndexOf('.')
  if (dot <= 0) throw new Error(`Handler ${handler} is not file.export`)
  const base = join(codeDir, handler.slice(0, dot))
  const exportPath = handler.slice(dot + 1).split('.')
  for (const ext of EXTENSIONS) {
    const file = `${base}${ext}`
    if (existsSync(file) && statSync(file).isFile()) return { file, exportPath }
  }
  throw new Error(`Handler ${handler}: no ${EXTENSIONS.map((e) => `${handler.slice(0, dot)}${e}`).join(', ')} in ${codeDir}`)
}

/** Run `body` with `env` applied to `process.env`. */
function withEnvironment<T>(env: Record<string, string>, body: () => T): T {
  for (const [k, v] of Object.entries(env)) process.env[k] = v
  return body()
}

/**
 * Wrap a handler: its variables applied when each invocation starts (process-wide: they stay set after it), and
 * Lambda's function timeout (`Task timed out after N seconds`, an error as Lambda reports it).
 */
export function wrapHandler(handler: LambdaHandler, env: Record<string, string>, timeoutSeconds: number): LambdaHandler {
  const wrapped = (event: Record<string, unknown>, context: Record<string, unknown>) =>
    new Promise<unknown>((resolvePromise, reject) => {
      let settled = false
      const finish = (error: unknown, value?: unknown) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        if (error !== undefined && error !== null) reject(error)
        else resolvePromise(value)
      }
      const timer = setTimeout(() => finish(new Error(`Task timed out after ${timeoutSeconds.toFixed(2)} seconds`)), timeoutSeconds * 1000)
      try {
        const returned = withEnvironment(env, () =>
          (handler as (e: unknown, c: unknown, cb: (error?: unknown, result?: unknown) => void) => unknown)(
            event,
            context,
            (error, result) => finish(error, result),
          ),
        )
        if (returned && typeof (returned as PromiseLike<unknown>).then === 'function') {
          ;(returned as PromiseLike<unknown>).then(
            (value) => finish(undefined, value),
            (error) => finish(error ?? new Error('rejected')),
          )
        } else if (handler.length < 3) {
          finish(undefined, returned)
        }
      } catch (error) {
        finish(error)
      }
    })
  return wrapped as unknown as LambdaHandler
}

/**
 * Load a template function: import its handler file with its environment applied, find the export.
 *
 * @example
 * ```ts
 * const { handler, file } = await loadTemplateFunction(spec, {})
 * const functions = { [spec.arn]: handler, [spec.name]: handler }
 * ```
 */
export async function loadTemplateFunction(spec: FunctionSpec, envOverrides: Record<string, string>): Promise<LoadedFunction> {
  const { file, exportPath } = handlerFile(spec.codeDir, spec.handler)
  const env = { ...spec.environment, ...envOverrides }
  const mod = await withEnvironment(env, () => importFresh(file))
  let value: unknown = mod
  for (const part of exportPath) {
    value = (value as Record<string, unknown> | undefined)?.[part]
    // A CommonJS module imported from ESM puts `module.exports` on `default`.
    if (value === undefined && part === exportPath[0]) value = (mod.default as Record<string, unknown> | undefined)?.[part]
  }
  if (typeof value !== 'function') throw new Error(`${spec.logicalId}: ${file} has no function export ${exportPath.join('.')}`)
  return { handler: wrapHandler(value as LambdaHandler, env, spec.timeoutSeconds), file }
}

/**
 * Load a `--functions` module: every exported function is a handler under its export name (and the functions of a
 * default-exported object too).
 */
export async function loadFunctionsModule(path: string): Promise<{ file: string; handlers: Record<string, LambdaHandler> }> {
  const file = resolve(path)
  const mod = await importFresh(file)
  const handlers: Record<string, LambdaHandler> = {}
  const add = (source: Record<string, unknown>) => {
    for (const [name, value] of Object.entries(source))
      if (typeof value === 'function' && name !== 'default') handlers[name] = value as LambdaHandler
  }
  if (mod.default !== null && typeof mod.default === 'object') add(mod.default as Record<string, unknown>)
  add(mod)
  return { file, handlers }
}
