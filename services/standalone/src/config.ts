import Type, { type Static } from 'typebox'
import Value from 'typebox/value'

/** Settings of the all-in-one process (each from the variable in `env`); everything else passes through to the two services. */
export const ConfigSchema = Type.Object({
  host: Type.String({ env: 'HOST', default: '127.0.0.1', description: 'listen address of the all-in-one process' }),
  port: Type.Integer({ env: 'PORT', minimum: 0, maximum: 65535, default: 3000, description: 'listen port of the all-in-one process' })
})
export type Config = Static<typeof ConfigSchema> & {
  /** The environment handed to the auth and chat services' own `loadConfig`. */
  auth: Record<string, string | undefined>
  chat: Record<string, string | undefined>
}

/**
 * Reads the environment once. Both services run on the memory engine with the console mailer
 * unless told otherwise; chat verifies tokens against this very process's JWKS.
 */
export function loadConfig (env: Record<string, string | undefined> = process.env): Config {
  const own = Value.Convert(ConfigSchema, Value.Default(ConfigSchema, {
    ...(env.HOST !== undefined && env.HOST !== '' ? { host: env.HOST } : {}),
    ...(env.PORT !== undefined && env.PORT !== '' ? { port: env.PORT } : {})
  })) as Static<typeof ConfigSchema>
  if (!Value.Check(ConfigSchema, own)) throw new Error('invalid configuration: HOST or PORT')
  const origins = `http://localhost:${own.port},http://127.0.0.1:${own.port}`
  const shared = {
    ENGINE: 'memory',
    ALLOWED_ORIGINS: origins,
    ...env,
    HOST: own.host,
    PORT: String(own.port)
  }
  return {
    ...own,
    auth: { MAIL_TRANSPORT: 'console', CHAT_PUBLIC_URL: '/ws', ...shared },
    chat: { AUTH_URL: `http://127.0.0.1:${own.port}`, ...shared }
  }
}
