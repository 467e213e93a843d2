/** The error a test expects a call to throw, of a given class (a `GatewayConfigError`, a `VtlError`, …). */

/**
 * The `type` error `fn` throws; anything else it throws propagates, and not throwing fails the test. Takes the
 * class rather than importing it, so the kit loads no package of the project at run time.
 *
 * @example
 * ```ts
 * const e = thrownBy(() => createGateway({ api }), GatewayConfigError)
 * expect(e.code).toBe('INVALID_PATTERN')
 * ```
 */
export function thrownBy<E extends Error>(fn: () => unknown, type: abstract new (...args: never[]) => E): E {
  try {
    fn()
  } catch (e) {
    if (e instanceof type) return e
    throw e
  }
  throw new Error(`expected a ${type.name}`)
}
