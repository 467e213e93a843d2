/**
 * A Java method as the method tables hold it, `(self, args) → result`, with the argument coercion the tables share
 * and the exception a Java method throws (`VTL_RUNTIME`). A method that does not exist yields undefined, which
 * renders as nothing, as API Gateway does.
 */
import { VtlError } from '../errors'

export type Method<T> = (self: T, a: unknown[]) => unknown

export function fail(message: string): never {
  throw new VtlError('VTL_RUNTIME', message)
}

export function int(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined
}
