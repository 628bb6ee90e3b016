import type { FastifyInstance } from 'fastify'
import { createLocalJWKSet, jwtVerify } from 'jose'
import { INVITATION_AUDIENCE, INVITATION_TYPE } from '@webchat/shared'

/** `POST /auth/invitations` as the session `cookie`. */
export const invite = async (app: FastifyInstance, cookie: string, email: string, headers: Record<string, string> = {}) =>
  await app.inject({ method: 'POST', url: '/auth/invitations', headers: { cookie, ...headers }, payload: { email } })

/** The claims of a ticket, checked as chat checks them: the JWKS, issuer, audience and type. */
export async function claimsOf (app: FastifyInstance, ticket: string): Promise<Record<string, unknown>> {
  const jwks = createLocalJWKSet((await app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json())
  const { payload } = await jwtVerify(ticket, jwks, { algorithms: ['ES256'], typ: INVITATION_TYPE, audience: INVITATION_AUDIENCE, issuer: 'webchat-auth' })
  return payload
}
