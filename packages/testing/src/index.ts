/**
 * `@gatehousejs/testing`: test a gatehouse gateway in process — a fake clock for its `now`, recorded Lambda
 * invocations, `testInvoke` / `request()` without a socket, SigV4 signing, a local JWT issuer, API keys, and
 * assertions for any runner (with vitest / jest matchers built on them).
 */
export { createFakeClock, FAKE_CLOCK_EPOCH } from './clock'
export type { FakeClock } from './clock'
export { recordInvocations } from './invocations'
export type { InvocationRecording, RecordedCall, RecordedContext, RecordedInvocation, RecordedRequest, RecordOptions } from './invocations'
export { request, testInvoke, TestRequest, toGatewayRequest } from './invoke'
export type { QueryInput, RequestAgent, TestInvokeRequest, TestInvokeResponse } from './invoke'
export { DEFAULT_SIGNED_HOST, signRequest, withApiKey } from './sign'
export type { SignTestRequestOptions } from './sign'
export { createTestIssuer } from './issuer'
export type { SignTokenOptions, TestIssuer, TestIssuerAlgorithm, TestIssuerOptions, TestJwk } from './issuer'
export {
  assertGatewayResponse,
  assertInvoked,
  findInvocations,
  gatehouseMatchers,
  gatewayResponseProblems,
  matchesSubset,
} from './assertions'
export type { AnyResponse, CallSource, GatehouseMatchers, GatewayResponseExpectation } from './assertions'
