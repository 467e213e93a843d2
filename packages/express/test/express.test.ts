import express from 'express'
import express4 from 'express4'
import { gateway } from '@gatehousejs/express'
import type { Gateway, GatewayInput } from '@gatehousejs/core'
import { listen, runAdapterSuite } from '@gatehousejs/test-kit'

/** The same app on Express 5 and Express 4: the gateway first, then the app's own JSON parser and routes. */
function makeApp(framework: typeof express) {
  return async (input: GatewayInput | Gateway) => {
    const app = framework()
    app.use(gateway(input))
    app.use(framework.json({ limit: '5mb' }))
    app.post('/app/echo', (req, res) => {
      res.json({ body: req.body, requestContext: req.apiGateway ?? null })
    })
    app.get('/app/only', (req, res) => {
      res.json({ app: true, requestContext: req.apiGateway ?? null })
    })
    return listen(app)
  }
}

runAdapterSuite('express 5', makeApp(express))
runAdapterSuite('express 4', makeApp(express4))
