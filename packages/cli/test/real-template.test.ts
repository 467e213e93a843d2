/**
 * A public SAM example run as it is: aws/serverless-application-model
 * examples/2016-10-31/api_lambda_token_auth (Apache-2.0; files, commits and the one added package.json are listed
 * in fixtures/sam-token-auth/README.md). AWS behaviour relied on: Lambda TOKEN authorizers
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html — an explicit
 * deny is 403, an authorizer failure 500 with `{"message": null}`), and the authorizer's context reaching the
 * proxy event (https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type CliProcess, startCli, stopAll } from './cli-process'

let cli: CliProcess

beforeAll(async () => {
  cli = await startCli(['packages/cli/test/fixtures/sam-token-auth/template.yaml'])
})

afterAll(stopAll)

describe('aws/serverless-application-model api_lambda_token_auth, unchanged', () => {
  it('serves both routes behind the default TOKEN authorizer', () => {
    expect(cli.stdout()).toMatch(/MyApi \(REST, stage Prod\)/)
    expect(cli.stdout()).toMatch(/GET\s+\/\s+AWS_PROXY MyFunction\s+authorizer MyLambdaTokenAuthorizer/)
    expect(cli.stdout()).toMatch(/GET\s+\/users\s+AWS_PROXY MyFunction\s+authorizer MyLambdaTokenAuthorizer/)
  })

  it('allows, denies and fails as the example documents', async () => {
    const allowed = await fetch(`${cli.url}/users`, { headers: { authorization: 'allow' } })
    expect(allowed.status).toBe(200)
    const event = (await allowed.json()) as { path: string; requestContext: { authorizer: Record<string, unknown>; stage: string } }
    expect(event.path).toBe('/users')
    expect(event.requestContext.stage).toBe('Prod')
    expect(event.requestContext.authorizer).toMatchObject({
      principalId: 'user',
      stringKey: 'stringval',
      numberKey: '123',
      booleanKey: 'true',
    })

    const denied = await fetch(`${cli.url}/`, { headers: { authorization: 'deny' } })
    expect(denied.status).toBe(403)

    const invalid = await fetch(`${cli.url}/users`, { headers: { authorization: 'something-else' } })
    expect(invalid.status).toBe(500)
    expect(await invalid.json()).toEqual({ message: null })

    const missing = await fetch(`${cli.url}/users`)
    expect(missing.status).toBe(401)
  })

  it('warns about the Outputs it does not evaluate, and runs the old Node.js runtime on this Node', () => {
    expect(cli.stderr()).toMatch(/warning: \/Outputs: template section not acted on locally/)
    expect(cli.stderr()).not.toMatch(/runtime nodejs12\.x/)
  })
})
