/**
 * API Gateway's WebSocket metrics to core's sinks. AWS's list
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-logging.html):
 * ConnectCount ("messages sent to the $connect route integration"), MessageCount ("messages sent to the WebSocket
 * API, either from or to the client"), IntegrationError ("a 4XX/5XX response from the integration"), ClientError
 * ("a 4XX response returned by API Gateway before the integration is invoked"), ExecutionError ("errors that
 * occurred when calling the integration"), IntegrationLatency ("suppressed for callbacks and mock integrations"),
 * by ApiId and Stage, and by Route with detailed metrics (`detailedMetricsEnabled` in the stage's route settings).
 */
import { createEmfExporter } from '@gatehousejs/core'
import { afterEach, describe, expect, it } from 'vitest'
import { createWebSocketApi, type WebSocketEvent, type WebSocketMetricDatapoint } from '../../src/index'
import { type ApiServer, inbox, open, startApi, until } from './harness'

let server: ApiServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

type Summary = Record<string, number | string>

/** A batch (one event's datapoints) as `{ Route?, ConnectCount: 1, …, IntegrationLatency: 'ms' }`. */
function summarize(batch: readonly WebSocketMetricDatapoint[]): Summary {
  const out: Summary = {}
  if (batch[0]?.dimensions.Route !== undefined) out.Route = batch[0].dimensions.Route
  for (const p of batch) out[p.name] = p.name === 'IntegrationLatency' ? 'ms' : p.value
  return out
}

async function metricsServer(batches: WebSocketMetricDatapoint[][]) {
  server = await startApi({
    api: {
      name: 'metrics',
      routeSelectionExpression: '$request.body.action',
      routes: {
        $connect: { integration: { type: 'AWS_PROXY', uri: 'ok' }, apiKeyRequired: true },
        echo: { integration: { type: 'AWS_PROXY', uri: 'echo' }, routeResponseSelectionExpression: '$default' },
        boom: { integration: { type: 'AWS_PROXY', uri: 'boom' } },
        bad: { integration: { type: 'AWS_PROXY', uri: 'bad' } },
        mock: { integration: { type: 'MOCK', requestTemplates: { $default: '{"statusCode": 200}' } } },
      },
    },
    apiId: 'abc123',
    stage: 'prod',
    apiKeys: ['key-0123456789abcdefghij'],
    routeSettings: { echo: { detailedMetricsEnabled: true } },
    onError: () => undefined,
    metrics: { sink: (points) => batches.push([...(points as WebSocketMetricDatapoint[])]) },
    functions: {
      ok: async () => ({ statusCode: 200 }),
      echo: async (event: WebSocketEvent) => ({ statusCode: 200, body: event.body }),
      boom: async () => {
        throw new Error('boom')
      },
      bad: async () => ({ statusCode: 500 }),
    },
  })
}

describe('WebSocket API metrics', () => {
  it('counts connects, messages in and out, client, integration and execution errors, as AWS names them', async () => {
    const batches: WebSocketMetricDatapoint[][] = []
    await metricsServer(batches)
    // Refused before the integration (no API key): a client error, no ConnectCount.
    await expect(open(server!.url)).rejects.toMatchObject({ status: 403 })
    const ws = await open(server!.url, { headers: { 'x-api-key': 'key-0123456789abcdefghij' } })
    const box = inbox(ws)
    const base = { ApiId: 'abc123', Stage: 'prod' }
    expect(batches.flat().every((p) => p.timestamp > 0 && p.dimensions.ApiId === 'abc123' && p.dimensions.Stage === 'prod')).toBe(true)
    expect(batches[0]![0]!.dimensions).toEqual(base)
    ws.send('{"action":"echo","n":1}')
    await box.next()
    ws.send('{"action":"nope"}') // no route, no $default: Forbidden
    await box.next()
    ws.send('{"action":"boom"}')
    await box.next()
    ws.send('{"action":"bad"}')
    await until(() => batches.length >= 6)
    ws.send('{"action":"mock"}')
    await until(() => batches.length >= 7)
    await server!.api.connections.post(server!.api.connections.ids()[0]!, 'pushed')
    await box.next()
    expect(batches.map(summarize)).toEqual([
      { ClientError: 1, IntegrationError: 0, ExecutionError: 0 },
      { ConnectCount: 1, ClientError: 0, IntegrationError: 0, ExecutionError: 0, IntegrationLatency: 'ms' },
      { Route: 'echo', MessageCount: 2, ClientError: 0, IntegrationError: 0, ExecutionError: 0, IntegrationLatency: 'ms' },
      { MessageCount: 2, ClientError: 1, IntegrationError: 0, ExecutionError: 0 },
      { MessageCount: 2, ClientError: 0, IntegrationError: 0, ExecutionError: 1, IntegrationLatency: 'ms' },
      { MessageCount: 1, ClientError: 0, IntegrationError: 1, ExecutionError: 0, IntegrationLatency: 'ms' },
      { MessageCount: 1, ClientError: 0, IntegrationError: 0, ExecutionError: 0 }, // MOCK: no latency
      { MessageCount: 1 }, // @connections POST: a message to the client
    ])
    expect(batches[2]![0]!.dimensions).toEqual({ ...base, Route: 'echo' })
    expect(batches.flat().find((p) => p.name === 'IntegrationLatency')?.unit).toBe('Milliseconds')
    ws.close()
  })

  it('takes core’s sinks as they are (EMF lines carry the WebSocket names) and reports a sink that throws', async () => {
    const lines: string[] = []
    const emf = createEmfExporter({ write: (line) => lines.push(line), intervalMs: 0, rollups: false })
    const errors: unknown[] = []
    server = await startApi({
      api: { name: 'emf', routeSelectionExpression: '$request.body.action', routes: { $default: { integration: { type: 'MOCK' } } } },
      apiId: 'emf1',
      metrics: {
        sink: [
          emf.sink,
          () => {
            throw new Error('sink down')
          },
        ],
        detailed: true,
      },
      onError: (e) => errors.push(e),
    })
    const ws = await open(server.url)
    ws.send('hi')
    await until(() => errors.length >= 2)
    emf.flush()
    const docs = lines.map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(docs.find((d) => d.Route === '$default')).toMatchObject({ ApiId: 'emf1', Stage: 'dev', MessageCount: 1, ClientError: 0 })
    expect(docs.find((d) => d.Route === '$connect')).toMatchObject({ ConnectCount: 1 })
    expect(String(errors[0])).toMatch(/sink down/)
    ws.close()
  })

  it('refuses a metrics option without a sink', () => {
    expect(() =>
      createWebSocketApi({ api: { name: 'x', routeSelectionExpression: '$request.body.a', routes: {} }, metrics: { sink: [] } }),
    ).toThrow(TypeError)
  })
})
