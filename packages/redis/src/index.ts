export { createRedisStore, type RedisStore, type RedisStoreOptions } from './store'
export { createRedisResponseCache, type RedisCacheStats, type RedisResponseCache, type RedisResponseCacheOptions } from './cache'
export type { FailureMode, RedisClient } from './client'
export {
  createRedisAuthorizerCache,
  type RedisAuthorizerCache,
  type RedisAuthorizerCacheOptions,
  type RedisAuthorizerCacheStats,
} from './authorizer-cache'
