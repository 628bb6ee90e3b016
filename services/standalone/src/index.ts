export { buildStandalone, type Standalone } from './app.js'
export { loadConfig, type Config } from './config.js'
