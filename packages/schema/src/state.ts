/**
 * Per-validation mutable state, reused across calls so the valid path allocates nothing.
 */
import { textError } from './error'
import type { ValidationError } from './types'
import { toPointer } from './uri'

/** A compiled check: true when `data` passes; failures are reported through `st`. */
export type Check = (data: unknown, st: State) => boolean

export class State {
  errs: ValidationError[] | null = null
  /** Instance path segments of the value being checked. */
  readonly path: Array<string | number> = []
  /** Dynamic scope: URIs of the schema resources entered, outermost first (only tracked for $dynamicRef). */
  readonly scope: string[] = []
  /** > 0 inside anyOf/oneOf/not/if/contains trials, whose errors nobody reads. */
  quiet = 0
  /** Stop at the first failure (no error is wanted, or allErrors is off). */
  stop: boolean
  busy = false
  constructor(readonly allErrors: boolean) {
    this.stop = !allErrors
  }

  reset(): void {
    this.errs = null
    // Setting length is a slow builtin call; the path is almost always empty already.
    if (this.path.length !== 0) this.path.length = 0
    if (this.scope.length !== 0) this.scope.length = 0
    this.quiet = 0
    this.stop = !this.allErrors
  }

  enterQuiet(): void {
    this.quiet++
    this.stop = true
  }

  leaveQuiet(): void {
    this.quiet--
    this.stop = this.quiet > 0 || !this.allErrors
  }

  /**
   * Report a failure at the current path (plus an optional child segment); always returns false. The closures
   * render the message at once (their thunks see the live value); generated code defers it (see ../error).
   */
  fail(keyword: string, message: () => string, child?: string | number): false {
    if (this.quiet > 0) return false
    const p = toPointer(this.path) + (child === undefined ? '' : toPointer([child]))
    ;(this.errs ??= []).push(textError(p, keyword, message()))
    return false
  }
}
