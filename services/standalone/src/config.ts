import Type, { type Static } from 'typebox'
import { type Config as AuthConfig, loadConfig as loadAuthConfig } from '@webchat/auth'
import { type Config as ChatConfig, loadConfig as loadChatConfig } from '@webchat/chat'
import { type Env, loadSettings } from '@webchat/service-kit'

/** Settings of the all-in-one process (each from the variable in `env`); everything else passes through to the two services. */
export const ConfigSchema = Type.Object({
  host: Type.String({ env: 'HOST', default: '127.0.0.1', description: 'listen address of the all-in-one process' }),
  port: Type.Integer({ env: 'PORT', minimum: 0, maximum: 65535, default: 3000, description: 'listen port of the all-in-one process' })
}, { additionalProperties: false })

/** This process's own settings, and the two services' configurations, each from its own schema. */
export type Config = Static<typeof ConfigSchema> & {
  auth: AuthConfig
  chat: ChatConfig
}

/**
 * Reads and validates the environment once, for this process and both services. Both run on the
 * memory engine with the console mailer unless told otherwise; chat verifies tokens against this
 * very process's JWKS.
 */
export function loadConfig (env: Env = process.env): Config {
  const own = loadSettings(ConfigSchema, env)
  const shared = {
    ENGINE: 'memory',
    ALLOWED_ORIGINS: `http://localhost:${own.port},http://127.0.0.1:${own.port}`,
    ...env,
    HOST: own.host,
    PORT: own.port
  }
  return {
    ...own,
    auth: loadAuthConfig({ MAIL_TRANSPORT: 'console', CHAT_PUBLIC_URL: '/ws', ...shared }),
    chat: loadChatConfig({ AUTH_URL: `http://127.0.0.1:${own.port}`, ...shared })
  }
}
