/** Express specifics: mounting under a path, and a body parser mounted before the gateway. */
import express from 'express'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { gateway } from '@gatehousejs/express'
import { listen, send, suiteInput, type AdapterServer } from '@gatehousejs/test-kit'

describe('express specifics', () => {
  let server: AdapterServer
  beforeAll(async () => {
    const app = express()
    app.use('/api', gateway(suiteInput()))
    const early = express.Router()
    early.use(express.json())
    early.use(gateway(suiteInput()))
    app.use('/early', early)
    server = await listen(app)
  })
  afterAll(() => server.close())

  it('paths are relative to the mount point', async () => {
    const res = await send(server.url, '/api/pets/5?x=1')
    expect(res.status).toBe(200)
    expect(res.json().path).toBe('/pets/5')
  })

  it('a body parser before the gateway: the parsed JSON still reaches the Lambda', async () => {
    const res = await send(server.url, '/early/upload', {
      method: 'POST',
      headers: [['content-type', 'application/json']],
      body: JSON.stringify({ a: [1, 2] }),
    })
    expect(res.status).toBe(200)
    expect(JSON.parse(res.json().body)).toEqual({ a: [1, 2] })
  })
})
