export { createRedisStore, type RedisStore, type RedisStoreOptions } from './store'
export { createRedisResponseCache, type RedisCacheStats, type RedisResponseCache, type RedisResponseCacheOptions } from './cache'
export type { FailureMode, RedisClient } from './client'
export {
  createRedisAuthorizerCache,
  type RedisAuthorizerCache,
  type RedisAuthorizerCacheOptions,
  type RedisAuthorizerCacheStats,
} from './authorizer-cache'
export { createRedisConnectionBus, type RedisConnectionBus, type RedisConnectionBusOptions } from './websocket'
export {
  createRedisRegistrySync,
  type RedisRegistrySync,
  type RedisRegistrySyncOptions,
  type RedisRegistrySyncStats,
  type RedisSubscriber,
  type RegistryChange,
  type RegistryPeer,
} from './registry'
export { createRedisJwksStore, type RedisJwksStore, type RedisJwksStoreOptions, type RedisJwksStoreStats } from './jwks'
