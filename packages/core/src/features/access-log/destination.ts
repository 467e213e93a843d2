/**
 * Where access-log lines go: a function (one call per line), a writable stream, or a file path (opened once, in
 * append mode). Lines are queued when a request is answered and written together on the next `setImmediate`, off the
 * response's path; a write that fails goes to `onError` (stage `access-log`), never to the request.
 */
import { closeSync, openSync, write } from 'node:fs'
import type { Writable } from 'node:stream'
import { GatewayConfigError } from '../../errors'

/** An access log's destination (`accessLog.destination`). */
export type AccessLogDestination = ((line: string) => void) | Writable | string

/** Write a batch of lines (each ending with `\n`); `failed` gets the error of a write that did not happen. */
export type LineWriter = (lines: string, count: number, failed: (error: unknown) => void) => void

/** A destination's writer: one line per call for a function, batches of lines for a stream or a file. */
export type LogWriter = { line: (line: string) => void; close: () => void } | { write: LineWriter; close: () => void }

function isWritable(v: unknown): v is Writable {
  return typeof v === 'object' && v !== null && typeof (v as Writable).write === 'function'
}

/**
 * A writer for `destination` (a file is opened now: a path that cannot be opened fails the build).
 *
 * @example
 * ```ts
 * const writer = lineWriter('/var/log/gatehouse/access.log')
 * if ('write' in writer) writer.write('line\n', 1, (e) => console.error(e))
 * ```
 */
export function lineWriter(destination: AccessLogDestination): LogWriter {
  if (typeof destination === 'function') {
    // One call per line, without its newline, as a logger's `info(line)` expects: lines are never joined.
    return { line: destination, close() {} }
  }
  if (isWritable(destination)) {
    return {
      write(lines, _count, failed) {
        try {
          destination.write(lines, (error) => {
            if (error) failed(error)
          })
        } catch (error) {
          failed(error)
        }
      },
      close() {},
    }
  }
  if (typeof destination === 'string' && destination !== '') {
    let fd: number
    try {
      fd = openSync(destination, 'a')
    } catch (e) {
      throw new GatewayConfigError(
        'INVALID_OPTION',
        `accessLog.destination: cannot open ${destination} (${(e as Error).message})`,
        undefined,
        {
          cause: e,
        },
      )
    }
    return {
      write(lines, _count, failed) {
        write(fd, lines, (error) => {
          if (error) failed(error)
        })
      },
      close: () => closeSync(fd),
    }
  }
  throw new GatewayConfigError('INVALID_OPTION', '`accessLog.destination` must be a function, a writable stream or a file path')
}

/**
 * The `accessLog` option: where lines go, and a format when the stage has no `accessLogSettings`.
 *
 * @example
 * ```ts
 * import { createGateway } from '@gatehousejs/core'
 * const lines: string[] = []
 * createGateway({ api, stage: { stageName: 'prod', accessLogSettings: { format: 'CLF' } }, accessLog: { destination: (l) => lines.push(l) } })
 * ```
 */
export interface AccessLogOptions {
  /** A function (one call per line), a writable stream, or a file path (appended to). Default: stdout. */
  destination?: AccessLogDestination
  /** The format when the stage gives none: `$context` variables or a preset name (`CLF`, `JSON`, `XML`, `CSV`). */
  format?: string
}
