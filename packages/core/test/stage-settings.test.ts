/**
 * Stage settings gatehouse does not act on are warned about (an error with `strict`), never dropped in silence.
 * Fields from API Gateway's Stage, MethodSetting and HTTP API RouteSettings references:
 * https://docs.aws.amazon.com/apigateway/latest/api/API_Stage.html
 * https://docs.aws.amazon.com/apigateway/latest/api/API_MethodSetting.html
 * https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-stages-stagename.html
 */
import { describe, expect, it } from 'vitest'
import { createGateway, GatewayConfigError, type GatewayInput, type GatewayWarning } from '@gatehousejs/core'

const api = {
  resources: {
    '/pets': { GET: { integration: { type: 'MOCK' as const, requestTemplates: { 'application/json': '{"statusCode": 200}' } } } },
  },
}

function warningsFor(stage: Record<string, unknown>, apiType: 'REST' | 'HTTP' = 'REST'): GatewayWarning[] {
  const warnings: GatewayWarning[] = []
  const httpApi = { resources: { '/pets': { GET: { integration: { type: 'AWS_PROXY' as const, uri: 'f' } } } } }
  createGateway({
    api: apiType === 'REST' ? api : httpApi,
    apiType,
    functions: { f: async () => ({ statusCode: 200 }) },
    stage: { stageName: 'prod', ...stage } as GatewayInput['stage'],
    onWarning: (w) => warnings.push(w),
  })
  return warnings
}

describe('stage settings the gateway does not act on', () => {
  const warned: [string, Record<string, unknown>, RegExp][] = [
    ['canarySettings', { canarySettings: { percentTraffic: 10, deploymentId: 'abc' } }, /canarySettings is ignored: .*createStage/],
    ['clientCertificateId', { clientCertificateId: 'cert' }, /clientCertificateId is ignored/],
    ['webAclArn', { webAclArn: 'arn:aws:wafv2:…' }, /webAclArn is ignored.*`waf` option/],
    ['a name nobody knows', { cacheClusterEnabld: true }, /cacheClusterEnabld is ignored: gatehouse does not know/],
  ]
  for (const [name, stage, message] of warned) {
    it(`warns about ${name}, and strict refuses it`, () => {
      const warnings = warningsFor(stage)
      expect(warnings).toHaveLength(1)
      expect(warnings[0]).toMatchObject({ code: 'IGNORED_SETTING', message: expect.stringMatching(message) })
      expect(() =>
        createGateway({ api, stage: { stageName: 'prod', ...stage } as GatewayInput['stage'], strict: true, onWarning: () => {} }),
      ).toThrow(GatewayConfigError)
    })
  }

  it('HTTP API route settings: detailed metrics and throttling are acted on, nothing is warned', () => {
    const warnings = warningsFor(
      {
        defaultRouteSettings: { throttlingRateLimit: 10, throttlingBurstLimit: 5, detailedMetricsEnabled: true },
        routeSettings: { 'GET /pets': { throttlingRateLimit: 1 } },
      },
      'HTTP',
    )
    expect(warnings).toEqual([])
  })

  it('HTTP API route settings: loggingLevel and dataTraceEnabled are warned (HTTP APIs have access logs only)', () => {
    const warnings = warningsFor(
      {
        defaultRouteSettings: { dataTraceEnabled: true },
        routeSettings: { 'GET /pets': { loggingLevel: 'ERROR', throttlingRateLimit: 1 } },
      },
      'HTTP',
    )
    expect(warnings.map((w) => w.message)).toEqual([
      'stage defaultRouteSettings.dataTraceEnabled is ignored: HTTP APIs have no execution logs (access logs only)',
      'stage routeSettings["GET /pets"].loggingLevel is ignored: HTTP APIs have no execution logs (access logs only)',
    ])
  })

  it('REST methodSettings loggingLevel and dataTraceEnabled are acted on (execution logs): no warning', () => {
    expect(warningsFor({ methodSettings: { '*/*': { loggingLevel: 'INFO' }, '/pets/GET': { dataTraceEnabled: true } } })).toEqual([])
  })

  it('settings it acts on, and those that only describe the stage, are not warned about', () => {
    expect(
      warningsFor({
        variables: { v: '1' },
        deploymentId: 'd1',
        description: 'production',
        tags: { team: 'pets' },
        documentationVersion: '1',
        cacheClusterEnabled: true,
        cacheClusterSize: '0.5',
        methodSettings: {
          '*/*': { throttlingRateLimit: 10, throttlingBurstLimit: 5, cachingEnabled: true, cacheTtlInSeconds: 60 },
          '/pets/GET': { cacheDataEncrypted: true, requireAuthorizationForCacheControl: false },
        },
      }),
    ).toEqual([])
  })

  it('a stage given by name has nothing to warn about', () => {
    const warnings: GatewayWarning[] = []
    createGateway({ api, stage: 'prod', onWarning: (w) => warnings.push(w) })
    expect(warnings).toEqual([])
  })
})
