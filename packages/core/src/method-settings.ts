/**
 * The `methodSettings` key that applies to every method of a stage, as API Gateway writes it: star, slash, star
 * (spelled out here because those three characters would close a doc comment). Use the constant rather than
 * copying the key from documentation.
 *
 * @example
 * ```ts
 * createGateway({ api, stage: { stageName: 'prod', methodSettings: { [EVERY_METHOD]: { throttlingRateLimit: 100 } } } })
 * ```
 */
export const EVERY_METHOD = '*/*'
