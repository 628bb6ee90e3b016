export { createRedisEngine, type RedisEngineOptions } from './engine.js'
export { connectRedisEngine, redisClientOptions, type ConnectRedisEngineOptions } from './connect.js'
