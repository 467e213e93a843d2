import { GatewayConfigError, toText } from '../errors'
import { failure, type GatewayFailure } from '../gateway-responses'
import { bodyBytes } from '../http'
import { compileAwsService, parseServiceUri } from './aws-service'
import type { AwsOptions } from './aws-service/options'
import { compileRequestMapping } from './integration-request'
import { compileResponseMapping, type EndpointResponse } from './integration-response'
import { invoke, resolveFunction } from './lambda'
import type { Integrate, IntegrationBuild } from './types'

/**
 * A Lambda function's error as the Lambda service reports it, and as API Gateway hands it to integration
 * responses (the Node.js runtime's shape: `errorType` is the error's name, `errorMessage` its message).
 *
 * @example
 * ```ts
 * lambdaError(new TypeError('bad')) // { errorMessage: 'bad', errorType: 'TypeError', stackTrace: ['at …'] }
 * ```
 */
export function lambdaError(error: unknown): { errorMessage: string; errorType: string; stackTrace: string[] } {
  if (error instanceof Error) {
    const stack =
      typeof error.stack === 'string'
        ? error.stack
            .split('\n')
            .slice(1)
            .map((l) => l.trim())
            .filter((l) => l !== '')
        : []
    return { errorMessage: toText(error.message), errorType: error.name || 'Error', stackTrace: stack }
  }
  // The Node.js runtime reports a non-Error rejection (`callback('Not found')`) by its JS type.
  if (typeof error === 'string') return { errorMessage: error, errorType: 'string', stackTrace: [] }
  let message: string
  try {
    message = JSON.stringify(error) ?? String(error)
  } catch {
    message = String(error)
  }
  return { errorMessage: message, errorType: typeof error, stackTrace: [] }
}

/** Jackson's words (as API Gateway relays Lambda's) for a payload Lambda cannot read; `why` is V8's parse error. */
function unparsable(payload: string, why: string): GatewayFailure {
  const text = payload.trim()
  const word = /^[A-Za-z_$][^\s,:{}[\]"]*/.exec(text)?.[0]
  let detail: string
  if (word !== undefined) {
    detail = `Unrecognized token '${word.slice(0, 64)}': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')`
  } else {
    const at = /position (\d+)/.exec(why)
    const ch = at ? payload.charAt(Number(at[1])) : ''
    detail = ch === '' ? 'Unexpected end-of-input' : `Unexpected character ('${ch}' (code ${ch.charCodeAt(0)}))`
  }
  return failure('DEFAULT_4XX', `Could not parse request body into json: Could not parse payload into json: ${detail}`, { status: 400 })
}

/** The event a Lambda function gets: the payload as JSON (an empty payload is `{}`), or a refusal. */
function lambdaEvent(payload: string | Uint8Array): { ok: true; event: unknown } | { ok: false; refusal: GatewayFailure } {
  const text = typeof payload === 'string' ? payload : bodyBytes(payload).toString('utf8')
  if (text.trim() === '') return { ok: true, event: {} }
  try {
    return { ok: true, event: JSON.parse(text) }
  } catch (e) {
    return { ok: false, refusal: unparsable(text, e instanceof Error ? e.message : '') }
  }
}

function serialise(value: unknown): { ok: true; text: string } | { ok: false; error: unknown } {
  try {
    // Lambda returns `null` for a function that returns nothing.
    return { ok: true, text: JSON.stringify(value === undefined ? null : value) ?? 'null' }
  } catch (error) {
    return { ok: false, error }
  }
}

/** The `X-Amz-Invocation-Type` the integration request carries (names as mapped: any case). */
function invocationTypeOf(headers: Record<string, string>): string | undefined {
  for (const name in headers) if (name.toLowerCase() === 'x-amz-invocation-type') return headers[name]!.trim()
  return undefined
}

/** What an `AWS` integration is compiled with: the build every type gets, and the gateway's `aws` option. */
export interface AwsIntegrationBuild extends IntegrationBuild {
  aws?: AwsOptions
}

/**
 * Compile an `AWS` integration (`uri` with stage variables substituted): an in-process Lambda function, or an AWS
 * service called with a signed request (./aws-service).
 *
 * @example
 * ```ts
 * const uri = 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:getPet/invocations'
 * const run = compileAws({ type: 'AWS', uri, responses: { default: { statusCode: '200' } } }, uri, api, { getPet }, 29000, '/paths/~1pets/get/x-amazon-apigateway-integration')
 * ```
 */
export function compileAws(build: AwsIntegrationBuild): Integrate {
  const { integration, uri, api, functions, timeoutMs, at } = build
  if (api.apiType !== 'REST')
    throw new GatewayConfigError('UNSUPPORTED_FEATURE', 'AWS (non-proxy) integrations need a REST API', `${at}/type`)
  if (uri === undefined) throw new GatewayConfigError('INVALID_DEFINITION', 'a AWS integration needs a uri', at)
  // arn:aws:apigateway:{region}:{service}:… — Lambda runs in process, any other service is called.
  const service = parseServiceUri(uri, api, `${at}/uri`)
  if (service !== undefined && service.service !== 'lambda') return compileAwsService(build, service, build.aws)
  const fn = resolveFunction(uri, functions, api.region, api.accountId, `${at}/uri`)
  const mapRequest = compileRequestMapping(integration, api, at)
  const mapResponse = compileResponseMapping(integration, api, at)
  const timedOut = failure('INTEGRATION_TIMEOUT')
  return async (state) => {
    const req = mapRequest(state)
    if ('type' in req) return req
    const event = lambdaEvent(req.body)
    if (!event.ok) return event.refusal
    // `X-Amz-Invocation-Type` mapped onto the integration request picks Lambda's invocation type: `Event` runs the
    // function detached and Lambda answers 202 with no body at once; `DryRun` answers 204 without running it.
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-integration-async.html
    // (recorded: test_api_gateway_lambda_asynchronous_invocation in localstack's test_apigateway_basic.py,
    // validated 2024-05-29: 200 and an empty body through a `default` response without template)
    const invocationType = invocationTypeOf(req.headers)
    if (invocationType === 'Event') {
      void invoke(fn, event.event, state.requestId, timeoutMs).then((detached) => {
        if (!detached.ok && !detached.timeout) state.reportFailure(detached.error, 'integration', null)
      })
      return mapResponse(state, { statusCode: 202, headers: {}, body: '', selector: '' }, req.context)
    }
    if (invocationType === 'DryRun') return mapResponse(state, { statusCode: 204, headers: {}, body: '', selector: '' }, req.context)
    state.log?.lambdaRequest(api.region, fn.arn, event.event)
    const outcome = await invoke(fn, event.event, state.requestId, timeoutMs)
    state.log?.lambdaResponse(outcome)
    let text: string | undefined
    let error: unknown
    if (outcome.ok) {
      const s = serialise(outcome.value)
      if (s.ok) text = s.text
      else error = s.error
    } else if (outcome.timeout) {
      state.reportFailure(new Error(`the Lambda function timed out after ${timeoutMs} ms`), 'integration', timedOut.type)
      return timedOut
    } else error = outcome.error
    let endpoint: EndpointResponse
    if (text !== undefined) {
      endpoint = { statusCode: 200, headers: { 'content-type': 'application/json' }, body: text, selector: '' }
    } else {
      // Lambda answers 200 with X-Amz-Function-Error; selection patterns match the errorMessage.
      const err = lambdaError(error)
      endpoint = {
        statusCode: 200,
        headers: { 'content-type': 'application/json', 'x-amz-function-error': 'Unhandled' },
        body: JSON.stringify(err),
        selector: err.errorMessage,
      }
    }
    const out = await mapResponse(state, endpoint, req.context)
    // The function's own error (its stack), or a result Lambda cannot serialise: the client gets what the
    // integration responses select, the operator the error.
    if (text === undefined) state.reportFailure(error, 'integration', 'type' in out ? out.type : null)
    return out
  }
}
