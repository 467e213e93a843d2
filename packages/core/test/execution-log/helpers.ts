/**
 * Shared by the execution-log tests: a recording pino-like logger and a gateway maker.
 */
import { createGateway, EVERY_METHOD, type GatewayInput } from '@gatehousejs/core'

export interface Recorded {
  level: 'info' | 'warn' | 'error'
  fields: Record<string, unknown>
  msg: string
}

/** A pino-compatible logger that keeps every call. */
export function recorder() {
  const calls: Recorded[] = []
  const at = (level: Recorded['level']) => (fields: object, msg: string) => {
    calls.push({ level, fields: { ...fields }, msg })
  }
  return {
    calls,
    logger: { info: at('info'), warn: at('warn'), error: at('error') },
    /** The messages without the `(requestId) ` prefix. */
    messages: () => calls.map((c) => c.msg.replace(/^\([^)]*\) /, '')),
  }
}

export const T0 = Date.UTC(2024, 0, 1, 12, 0, 0)
export const fnUri = (name: string) =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${name}/invocations`

/** A REST gateway whose every method logs at `level` (with data trace unless said), to `logger`. */
export function logged(
  input: Omit<GatewayInput, 'stage'> & { stage?: Record<string, unknown> },
  level: 'OFF' | 'ERROR' | 'INFO' = 'INFO',
  dataTraceEnabled = true,
) {
  let n = 0
  return createGateway({
    apiId: 'abc123',
    requestId: () => `req-${++n}`,
    now: () => T0,
    onError: () => {},
    onWarning: () => {},
    ...input,
    stage: {
      stageName: 'prod',
      methodSettings: { [EVERY_METHOD]: { loggingLevel: level, dataTraceEnabled } },
      ...input.stage,
    } as GatewayInput['stage'],
  })
}
