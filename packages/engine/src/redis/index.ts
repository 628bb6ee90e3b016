export { createRedisEngine, type RedisEngineOptions } from './engine.js'
export { connectRedisEngine, redisClientOptions, parseClusterNodes, type ConnectRedisEngineOptions } from './connect.js'
export { ownHashTag, type HashTagOf } from './names.js'
