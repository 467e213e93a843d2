/** Helpers the Fastify tests share: the plugin's options for a suite input, and a listening Fastify app. */
import type { Gateway, GatewayInput } from '@gatehousejs/core'
import type { AdapterServer } from '@gatehousejs/test-kit'

/** The options for a definition or a built gateway, as a user passes them. */
export function optionsFor(input: GatewayInput | Gateway) {
  return typeof (input as Gateway).dispatch === 'function' ? { gateway: input } : (input as GatewayInput)
}

/** Listen on 127.0.0.1, port 0; closing the app closes its connections when built with forceCloseConnections. */
export async function listenFastify(app: { listen(o: { port: number; host: string }): Promise<string>; close(): Promise<unknown> }) {
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  return { url, close: async () => void (await app.close()) } satisfies AdapterServer
}
