export * from './types.js'
export { names } from './names.js'
export { engineDeadline, withDeadline, type DeadlineOptions } from './deadline.js'
export { createMemoryEngine, type MemoryEngineOptions } from './memory/index.js'
export {
  createRedisEngine, connectRedisEngine, redisClientOptions,
  type RedisEngineOptions, type ConnectRedisEngineOptions
} from './redis/index.js'
