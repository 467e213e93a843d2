/**
 * @gatehousejs/test-kit: the fixtures more than one package's tests share (private, never built or published).
 * Nothing here runs on import: a fixture that needs openssl or Redis checks for it when a test file asks. Of the
 * project's packages it imports types only, so a module's tests load nothing of core through the kit.
 */
export { runAdapterSuite, type MakeServer } from './adapter-suite'
export { fuzzParams } from './fuzz'
export { hostileRequest, lowerKeys } from './hostile-request'
export { listen, listenServer, type AdapterServer } from './listen'
export { reportMissingTool } from './missing-tool'
export { createCertificateDir, hasOpenssl, requireOpenssl, type CertificateDir } from './mtls'
export { cleanUp, connectRedis, connectRedisReady, fastFail, redisPort, requireRedis, uniquePrefix, useRedis } from './redis'
export { send, sendChunked, type RawResponse } from './send'
export { suiteApi, suiteFunctions, suiteInput } from './suite-api'
export { thrownBy } from './thrown'
