export { default as app, buildApp, type AppOptions } from './app.js'
export { loadConfig, ConfigSchema, ConfigError, type Config } from './config.js'
export { loggerOptions } from './logger.js'
