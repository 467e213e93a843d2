/** Start a node:http server on 127.0.0.1, port 0, for the adapter tests. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { AdapterServer } from './adapter-suite'

export async function listen(listener: (req: IncomingMessage, res: ServerResponse) => void): Promise<AdapterServer> {
  return listenServer(createServer(listener))
}

export async function listenServer(server: Server): Promise<AdapterServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.()
        server.close(() => resolve())
      }),
  }
}
