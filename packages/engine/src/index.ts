export * from './types.js'
export { names } from './names.js'
export { engineDeadline, withDeadline, type DeadlineOptions } from './deadline.js'
export { createMemoryEngine, type MemoryEngineOptions } from './memory/index.js'
export {
  createRedisEngine, connectRedisEngine, redisClientOptions, parseClusterNodes, ownHashTag,
  type RedisEngineOptions, type ConnectRedisEngineOptions, type HashTagOf
} from './redis/index.js'
