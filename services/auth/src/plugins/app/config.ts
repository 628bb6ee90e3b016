import fp from 'fastify-plugin'
import type { Config } from '../../config.js'
import { secretOrPersisted } from '../../data-dir.js'

export interface AuthSecrets {
  sessionSecret: string
  codeSecret: string
}

declare module 'fastify' {
  interface FastifyInstance {
    authConfig: Config
    authSecrets: AuthSecrets
  }
}

/** Decorates the configuration and the two server secrets (configured, or kept in DATA_DIR). */
export default fp<{ config: Config }>(async function configPlugin (fastify, { config }) {
  const session = await secretOrPersisted(config.sessionSecret, config.dataDir, 'session-secret')
  const code = await secretOrPersisted(config.codeSecret, config.dataDir, 'code-secret')
  if (session.generated || code.generated) {
    fastify.log.warn({ dataDir: config.dataDir }, 'SESSION_SECRET or CODE_SECRET unset: using secrets generated into DATA_DIR')
  }
  fastify.decorate('authConfig', config)
  fastify.decorate('authSecrets', { sessionSecret: session.secret, codeSecret: code.secret })
}, { name: 'auth-config' })
