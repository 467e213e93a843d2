/**
 * One call to an AWS service as API Gateway makes it: the integration role's credentials (the operator's
 * `aws.credentials`, or the `AWS_*` environment variables read at call time), a SigV4 signature from
 * `@gatehousejs/sigv4`, then the operator's endpoint over HTTP(S) (../http-exchange, the HTTP integrations'
 * exchange) or an in-process handler (`aws.services`), within the integration's timeout. Every failure is an answer
 * (never a throw) and reaches `onError`.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 * https://docs.aws.amazon.com/sdkref/latest/guide/environment-variables.html
 */
import { signRequest, type Credentials } from '@gatehousejs/sigv4'
import type { GatewayFailure } from '../../gateway-responses'
import { bodyBytes } from '../../http'
import type { RequestState } from '../../state'
import type { HeaderMap } from '../../types'
import { sendHttp } from '../http-exchange'
import { callInProcess } from '../in-process'
import type { AwsOptions } from './options'
import { signingName } from './services'

/** A service request before signing. `path` is the wire path after the endpoint's own prefix, starting with `/`. */
export interface ServiceCall {
  /** The service name as the integration names it: the key of `aws.endpoints` and `aws.services`. */
  service: string
  region: string
  /** The endpoint's base URL (validated: scheme, host, optional port and path prefix). */
  base: string
  method: string
  path: string
  query: string
  /** Header names lower-case. */
  headers: Record<string, string>
  body: Uint8Array
}

/** What the service answered (header names lower-case). */
export interface ServiceAnswer {
  statusCode: number
  headers: HeaderMap
  body: Uint8Array
}

/** The answers the API type gives for each way a call fails. */
export interface FailureAnswers {
  /** No usable credentials, or the credentials function failed (API Gateway: a configuration error). */
  config: GatewayFailure
  timeout: GatewayFailure
  /** The service could not be reached, or an in-process service threw. */
  unreachable: GatewayFailure
}

/** Run one service call: resolve credentials, sign, send. */
export type CallService = (
  state: RequestState,
  call: ServiceCall,
  roleArn: string | undefined,
  timeoutMs: number,
) => Promise<ServiceAnswer | GatewayFailure>

class MissingCredentials extends Error {
  override name = 'MissingCredentials'
}

/** The standard environment variables, read now: a rotated key is used from the next request on. */
function fromEnvironment(): Credentials {
  const accessKeyId = process.env.AWS_ACCESS_KEY_ID
  const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY
  if (!accessKeyId || !secretAccessKey) {
    throw new MissingCredentials(
      'no AWS credentials for the AWS service integration: set the `aws.credentials` option or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
    )
  }
  const sessionToken = process.env.AWS_SESSION_TOKEN
  return sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey }
}

async function credentialsFor(aws: AwsOptions | undefined, roleArn: string | undefined): Promise<Credentials> {
  const given = aws?.credentials
  if (given === undefined) return fromEnvironment()
  const c = typeof given === 'function' ? await given(roleArn) : given
  if (!c || typeof c.accessKeyId !== 'string' || typeof c.secretAccessKey !== 'string' || c.accessKeyId === '' || c.secretAccessKey === '')
    throw new MissingCredentials(`aws.credentials gave no usable credentials for role ${roleArn ?? '(none)'}`)
  return c.sessionToken ? { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken } : c
}

/**
 * The service caller of one gateway: `aws` is the operator's option (validated), `answers` the API type's failures.
 *
 * @example
 * ```ts
 * const call = createServiceCaller({ endpoints: { sqs: 'http://127.0.0.1:4566' } }, answers)
 * const out = await call(state, { service: 'sqs', region: 'us-east-1', base: 'http://127.0.0.1:4566', method: 'POST', path: '/', query: 'Action=ListQueues', headers: {}, body: new Uint8Array() }, undefined, 29000)
 * ```
 */
export function createServiceCaller(aws: AwsOptions | undefined, answers: FailureAnswers): CallService {
  const services = aws?.services
  return async (state, call, roleArn, timeoutMs) => {
    let credentials: Credentials | 'timeout'
    let timer: ReturnType<typeof setTimeout> | undefined
    try {
      // A credentials function that never settles is held to the integration's timeout too.
      credentials = await Promise.race([
        credentialsFor(aws, roleArn),
        new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), timeoutMs)
          timer.unref?.()
        }),
      ])
    } catch (error) {
      state.reportFailure(error, 'integration', answers.config.type)
      return answers.config
    } finally {
      clearTimeout(timer)
    }
    if (credentials === 'timeout') {
      state.reportFailure(new Error(`aws.credentials did not answer within ${timeoutMs} ms`), 'integration', answers.timeout.type)
      return answers.timeout
    }
    const base = new URL(call.base)
    const path = `${base.pathname.replace(/\/+$/, '')}${call.path}`
    const headers: Record<string, string> = { ...call.headers, host: base.host }
    let signed: ReturnType<typeof signRequest>
    try {
      signed = signRequest({ method: call.method, path, query: call.query, headers, body: call.body }, credentials, {
        region: call.region,
        service: signingName(call.service),
        // S3 wants the payload's hash as a header (x-amz-content-sha256); the others read it from the signature.
        signBody: call.service === 's3',
      })
    } catch (error) {
      // A request the signer refuses (a mapped header over its limits, say): the integration fails, the operator is told.
      state.reportFailure(error, 'integration', answers.unreachable.type)
      return answers.unreachable
    }
    const flat: Record<string, string> = {}
    for (const [name, value] of Object.entries(signed.headers)) flat[name] = Array.isArray(value) ? value.join(',') : value
    const target = `${path}${signed.query === '' ? '' : `?${signed.query}`}`
    const handler = services && Object.hasOwn(services, call.service) ? services[call.service] : undefined
    // Execution logs show the endpoint request and response as API Gateway's do (secrets redacted there).
    state.log?.httpRequest(
      { protocol: base.protocol, hostname: base.hostname, port: base.port || undefined, path: target },
      flat,
      call.body,
    )
    if (handler) {
      const url = `${base.protocol}//${base.host}${target}`
      const out = await callInProcess(
        handler,
        { service: call.service, region: call.region, method: call.method, url, path, query: signed.query, headers: flat, body: call.body },
        timeoutMs,
        `the in-process ${call.service} service`,
      )
      if (out.ok) {
        state.log?.httpResponse(out.answer)
        return out.answer
      }
      const answer = out.timeout ? answers.timeout : answers.unreachable
      state.reportFailure(out.error, 'integration', answer.type)
      return answer
    }
    flat['content-length'] = String(call.body.length)
    const protocol = base.protocol === 'https:' ? 'https:' : 'http:'
    const out = await sendHttp(
      { protocol, hostname: base.hostname.replace(/^\[|\]$/g, ''), port: base.port || undefined, path: target },
      call.method,
      flat,
      Buffer.from(call.body),
      timeoutMs,
      {
        report: (error, failed) =>
          state.reportFailure(error, 'integration', (failed.type === 'INTEGRATION_TIMEOUT' ? answers.timeout : answers.unreachable).type),
      },
    )
    if ('type' in out) return out.type === 'INTEGRATION_TIMEOUT' ? answers.timeout : answers.unreachable
    state.log?.httpResponse(out)
    return { statusCode: out.statusCode, headers: out.headers, body: bodyBytes(out.body) }
  }
}
