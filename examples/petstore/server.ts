/**
 * `npm start`: the petstore API on node:http, with a small inventory service behind its HTTP_PROXY route.
 */
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createHandler } from '@gatehousejs/node'
import { createPet, getPet, getPetPhoto, listPets } from './handlers'

const api = JSON.parse(readFileSync(new URL('./openapi.json', import.meta.url), 'utf8'))

// The backend the HTTP_PROXY route forwards to (a separate service in real life).
const inventory = createServer((req, res) => {
  res.setHeader('content-type', 'application/json')
  res.end(JSON.stringify({ service: 'inventory', method: req.method, url: req.url, inStock: 42 }))
})
await new Promise<void>((resolve) => inventory.listen(0, '127.0.0.1', resolve))
const inventoryUrl = `http://127.0.0.1:${(inventory.address() as AddressInfo).port}`

const handler = createHandler({
  api,
  stage: { stageName: 'prod', variables: { inventoryUrl } },
  functions: { listPets, getPet, getPetPhoto, createPet },
})

const port = Number(process.env.PORT ?? 3000)
const server = createServer(handler)
server.listen(port, '127.0.0.1', () => {
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  console.log(`petstore gateway listening on ${url}\n`)
  console.log('Try:')
  console.log(`  curl -i ${url}/health`)
  console.log(`  curl -i ${url}/pets`)
  console.log(`  curl -i '${url}/pets?type=cat'`)
  console.log(`  curl -i ${url}/pets/1`)
  console.log(`  curl -i -X POST ${url}/pets -H 'content-type: application/json' -d '{"name":"Nemo","type":"fish"}'`)
  console.log(`  curl -i -X OPTIONS ${url}/pets`)
  console.log(`  curl -i ${url}/inventory/items/7`)
  console.log(`  curl -i ${url}/nowhere        # 403 Missing Authentication Token, as API Gateway answers`)
  console.log(`  curl -i ${url}/pets/1/photo   # 502: the function throws; its stack is printed below (onError)`)
})

function stop() {
  server.close()
  inventory.close()
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
