export * from './types.js'
export { createMemoryEngine, type MemoryEngineOptions } from './memory/index.js'
export { createRedisEngine, type RedisEngineOptions } from './redis/index.js'
