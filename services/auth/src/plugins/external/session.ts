import fastifyCookie from '@fastify/cookie'
import fastifySession from '@fastify/session'
import fp from 'fastify-plugin'
import { createSessionStore } from './session-store.js'

export const SESSION_COOKIE = 'webchat_session'

declare module 'fastify' {
  interface Session {
    userId?: string
    /** The public session id: the `sid` of chat tokens and of revocations. */
    handle?: string
    /** Sign-in time (ms), for the absolute lifetime. */
    createdAt?: number
  }
}

/** Cookie sessions stored in the engine: HttpOnly, SameSite=Lax, Secure over HTTPS, rolling idle timeout. */
export default fp(async function sessionPlugin (fastify) {
  const config = fastify.authConfig
  await fastify.register(fastifyCookie)
  await fastify.register(fastifySession, {
    secret: fastify.authSecrets.sessionSecret,
    cookieName: SESSION_COOKIE,
    store: createSessionStore({ kv: fastify.engine.kv, idleMs: config.sessionIdleTimeout * 1000, maxAgeMs: config.sessionMaxAge * 1000 }),
    saveUninitialized: false,
    rolling: true,
    cookie: { path: '/', httpOnly: true, sameSite: 'lax', secure: 'auto', maxAge: config.sessionIdleTimeout * 1000 }
  })
}, { name: 'auth-session', dependencies: ['auth-config', 'auth-engine'] })
