/**
 * The management API's refusals (API Gateway's BadRequestException, NotFoundException, ConflictException).
 */
import type { UsagePlanAdminErrorCode } from './types'

/**
 * A management call the registry refuses: `BAD_REQUEST` (invalid value), `NOT_FOUND` (no such key or plan),
 * `CONFLICT` (a duplicate id or key value, or a key already in a plan for the same API stage).
 *
 * @example
 * ```ts
 * import { createUsagePlanRegistry, UsagePlanAdminError } from '@gatehousejs/core'
 * const registry = createUsagePlanRegistry()
 * try {
 *   registry.deleteApiKey('nope')
 * } catch (e) {
 *   if (!(e instanceof UsagePlanAdminError)) throw e
 *   e.code // 'NOT_FOUND'
 *   e.message // 'API key "nope" not found'
 * }
 * ```
 */
export class UsagePlanAdminError extends Error {
  override name = 'UsagePlanAdminError'
  constructor(
    readonly code: UsagePlanAdminErrorCode,
    message: string,
  ) {
    super(message)
  }
}

/** Refuse a management call as `BAD_REQUEST`. */
export function bad(message: string): never {
  throw new UsagePlanAdminError('BAD_REQUEST', message)
}
