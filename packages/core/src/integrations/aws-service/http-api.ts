/**
 * HTTP APIs' AWS service integrations (`integrationSubtype`): the subtype's parameters mapped from the request
 * (`$request.body.x`, `$request.header.x`, `$context.x`, static text, …, with the HTTP API mapping evaluators),
 * made into the service request, signed for the integration's role, and the service's status, Content-Type and body
 * passed back to the client (then `responseParameters` by status code).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-aws-services.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-aws-services-reference.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-parameter-mapping.html
 */
import { GatewayConfigError, pointerToken } from '../../errors'
import {
  applyResponseMappings,
  compileHttpApiRequestParameters,
  compileHttpApiResponseParameters,
  type HttpApiMapping,
  type HttpApiMappingInput,
} from '../../features/parameter-mapping/http-api'
import { failure } from '../../gateway-responses'
import { isTextMediaType, lastHeaderValue, mediaType } from '../../http'
import type { GatewayResponse, HeaderMap } from '../../types'
import type { Integrate, IntegrationBuild } from '../types'
import { isDotSegment } from '../uri-template'
import { createServiceCaller, type FailureAnswers } from './exchange'
import type { AwsOptions } from './options'
import { roleOf } from './rest'
import { REGION } from './services'
import { SUBTYPES } from './subtypes'
import { serviceBase } from './uri'

/** HTTP APIs' answers, in their casing: 500 `{"message":"Internal Server Error"}`, 504 on timeout. */
const HTTP_ANSWERS: FailureAnswers = {
  config: failure('DEFAULT_5XX', 'Internal Server Error', { status: 500 }),
  timeout: failure('INTEGRATION_TIMEOUT', 'Gateway Timeout', { status: 504 }),
  unreachable: failure('INTEGRATION_FAILURE', 'Internal Server Error', { status: 500 }),
}

/** The headers of the service's answer the client gets. */
const PASSED = ['content-type', 'x-amzn-requestid', 'x-amz-request-id']

/** One parameter's value, compiled with the HTTP API mapping evaluators. */
function compileParameter(name: string, value: string, at: string): HttpApiMapping {
  try {
    return compileHttpApiRequestParameters({ [`overwrite:querystring.${name}`]: value }, at)[0]!
  } catch (e) {
    if (!(e instanceof GatewayConfigError)) throw e
    throw new GatewayConfigError(
      'INVALID_DEFINITION',
      `${name}: ${e.message.replace(/^[^:]*: parameter mapping "[^"]*": /, '')}`,
      `${at}/${pointerToken(name)}`,
      { cause: e },
    )
  }
}

/**
 * Compile an HTTP API integration with an `integrationSubtype` (`SQS-SendMessage`, `EventBridge-PutEvents`, …).
 *
 * @example
 * ```ts
 * const run = compileAwsSubtype(build, 'SQS-SendMessage', { endpoints: { sqs: 'http://127.0.0.1:4566' } })
 * ```
 */
export function compileAwsSubtype(build: IntegrationBuild, name: string, aws: AwsOptions | undefined): Integrate {
  const { integration, api, timeoutMs, at } = build
  const subtypeAt = `${at}/integrationSubtype`
  if (api.apiType !== 'HTTP')
    throw new GatewayConfigError(
      'INVALID_DEFINITION',
      `integrationSubtype ${name}: AWS service integrations with a subtype belong to HTTP APIs`,
      subtypeAt,
    )
  const subtype = Object.hasOwn(SUBTYPES, name) ? SUBTYPES[name]! : undefined
  if (!subtype)
    throw new GatewayConfigError(
      'INVALID_DEFINITION',
      `unknown integrationSubtype "${name}" (${Object.keys(SUBTYPES).join(', ')})`,
      subtypeAt,
    )
  const paramsAt = `${at}/requestParameters`
  const given = integration.requestParameters ?? {}
  const known = new Set([...subtype.required, ...subtype.optional, 'Region'])
  for (const key of Object.keys(given))
    if (!known.has(key))
      throw new GatewayConfigError(
        'INVALID_DEFINITION',
        `${name} has no parameter "${key}" (${[...known].join(', ')})`,
        `${paramsAt}/${pointerToken(key)}`,
      )
  const missing = subtype.required.filter((r) => !Object.hasOwn(given, r))
  if (missing.length > 0)
    throw new GatewayConfigError(
      'INVALID_DEFINITION',
      `${name} requires the parameter${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
      paramsAt,
    )
  const parameters = Object.entries(given).map(([key, value]) => [key, compileParameter(key, value, paramsAt)] as const)
  const byStatus = compileHttpApiResponseParameters(integration.responseParameters, `${at}/responseParameters`)
  const call = createServiceCaller(aws, HTTP_ANSWERS)
  const role = roleOf(integration)
  // Endpoints are fixed per service and region; the region a request may choose is checked against AWS's names.
  const bases = new Map<string, string>()
  const baseOf = (service: string, region: string): string => {
    const key = `${service} ${region}`
    let base = bases.get(key)
    if (base === undefined) {
      base = serviceBase(aws, service, region)
      // Bounded: regions are few, and only well-formed names get here.
      if (bases.size < 256) bases.set(key, base)
    }
    return base
  }
  const badRequest = failure('DEFAULT_4XX', 'Bad Request', { status: 400 })

  return async (state) => {
    const input: HttpApiMappingInput = { state, context: () => state.context() }
    const values: Record<string, string> = {}
    for (const [key, mapping] of parameters) {
      const v = mapping.value(input)
      if (v !== undefined) values[key] = v
    }
    const region = values.Region ?? api.region
    if (!REGION.test(region)) return badRequest
    const req = subtype.build(values)
    // Values are percent-encoded into single segments; a whole `.` or `..` would still move the path: refused.
    if (req.path.split('/').some(isDotSegment)) return badRequest
    const answer = await call(
      state,
      {
        service: req.service,
        region,
        base: baseOf(req.service, region),
        method: req.method,
        path: req.path,
        query: req.query,
        headers: req.headers,
        body: new Uint8Array(Buffer.from(req.body)),
      },
      role,
      timeoutMs,
    )
    if ('type' in answer) return answer
    const headers: HeaderMap = {}
    for (const h of PASSED) {
      const v = lastHeaderValue(answer.headers, h)
      if (v !== undefined) headers[h] = v
    }
    const type = mediaType(lastHeaderValue(answer.headers, 'content-type'))
    const body =
      isTextMediaType(type) || type.startsWith('application/x-amz-json') ? Buffer.from(answer.body).toString('utf8') : answer.body
    const res: GatewayResponse = { statusCode: answer.statusCode, headers, body }
    const mappings = byStatus.get(answer.statusCode)
    return mappings ? applyResponseMappings(res, mappings, input) : res
  }
}
