export * from './types.js'
export { names } from './names.js'
export { createMemoryEngine, type MemoryEngineOptions } from './memory/index.js'
