export { bearerOf, serviceKeyGuard, type KeyRefusal } from './bearer.js'
export { default as opsRoutes, engineCheck, type Check, type OpsOptions } from './ops.js'
export { answerParserError, parserErrorResponse, type RawSocket } from './parser-error.js'
export { compileAll, schemaController, typeBoxValidatorCompiler } from './schema-compilers.js'
export { ConfigError, loadSettings, type Env } from './settings.js'
export { trustHops, trustProxyOption, trustProxySetting, type TrustProxy } from './trust-proxy.js'
export {
  errorResponses, reasonError, wireCodeOf, wireErrorOf, withDetail,
  type ErrorDetail, type ErrorRegistry, type WireError, type WireErrorCode
} from './wire-errors.js'
export { checkRedisSettings, engineDefault, redisClusterNodesSetting, redisTarget, type RedisSettings } from './redis-settings.js'
