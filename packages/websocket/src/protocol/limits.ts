import { WebSocketError } from '../errors'

/**
 * Amazon API Gateway's WebSocket quotas, the defaults of every limit here
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html, "Quotas for configuring and running a
 * WebSocket API"): frames of 32 KB, messages of 128 KB ("If a larger message (or larger frame size) is received,
 * the connection is closed with code 1009"), a 10-minute idle connection timeout and a 2-hour connection duration.
 *
 * @example
 * ```ts
 * import { API_GATEWAY_LIMITS } from '@gatehousejs/websocket'
 * API_GATEWAY_LIMITS.maxMessageBytes // 131072
 * ```
 */
export const API_GATEWAY_LIMITS = {
  maxFrameBytes: 32 * 1024,
  maxMessageBytes: 128 * 1024,
  idleTimeoutMs: 10 * 60 * 1000,
  maxDurationMs: 2 * 60 * 60 * 1000,
} as const

/**
 * The size limits the frame parser enforces; a frame or message over them fails the connection with 1009.
 *
 * @example
 * ```ts
 * import { createFrameParser, type FrameLimits } from '@gatehousejs/websocket'
 * const limits: FrameLimits = { maxFrameBytes: 1024, maxMessageBytes: 4096 }
 * createFrameParser(limits)
 * ```
 */
export interface FrameLimits {
  /** Largest payload of one frame, in bytes. Default 32 KB (API Gateway's "WebSocket frame size"). */
  maxFrameBytes?: number
  /** Largest payload of one message (all its frames), in bytes. Default 128 KB ("Message payload size"). */
  maxMessageBytes?: number
}

/** Checks a limit: a positive integer, or `Infinity` when `infinite` allows it. */
export function limitOption(name: string, value: number | undefined, fallback: number, infinite = false): number {
  if (value === undefined) return fallback
  if (infinite && value === Number.POSITIVE_INFINITY) return value
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new WebSocketError('INVALID_OPTION', `${name} must be a positive integer${infinite ? ' or Infinity' : ''}, got ${String(value)}`)
  }
  return value
}
