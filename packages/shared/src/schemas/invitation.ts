import Type, { type Static } from 'typebox'
import { Email, IsoTime } from './common.js'
import { TokenClaims } from './token.js'

/**
 * Invitation tickets: what `POST /auth/invitations` gives for an address, and what the `invite` and
 * `direct` frames take instead of a user id. Signed by the auth service with the keys of chat
 * tokens (one JWKS), but never mistaken for one: their own JOSE `typ` and audience, which a chat
 * token does not carry and which the socket's token check refuses.
 */
export const INVITATION_TYPE = 'webchat-invitation+jwt'
export const INVITATION_AUDIENCE = 'webchat-invitation'
/** How long a ticket may be used, by the user it was given to (seconds). */
export const INVITATION_TTL_S = 600

/** A ticket as frames carry it: a compact JWS. */
export const Ticket = Type.String({ minLength: 5, maxLength: 4096, pattern: '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$' })

export const InvitationRequest = Type.Object({ email: Email }, { $id: 'InvitationRequest', additionalProperties: false })
export type InvitationRequest = Static<typeof InvitationRequest>

export const InvitationResponse = Type.Object({
  ticket: Type.String({ description: 'pass it as `ticket` in an `invite` or `direct` frame, within 10 minutes' }),
  expiresAt: IsoTime
}, {
  $id: 'InvitationResponse',
  additionalProperties: false,
  description: 'The same answer whether or not the address ever signed in'
})
export type InvitationResponse = Static<typeof InvitationResponse>

/**
 * Claims of a ticket: `sub` the user it was given to (the inviter: nobody else may use it),
 * `invitee` the user id of the address, `name` the default name made from the address (never the
 * invitee's own display name, which would tell a registered address from a new one).
 */
const { sid: _session, aud: _chat, ...signed } = TokenClaims.properties
/** The claims of a chat token but its session, with their own audience and the invitee. */
export const InvitationClaims = Type.Object({
  ...signed,
  aud: Type.Literal(INVITATION_AUDIENCE),
  invitee: signed.sub
}, { $id: 'InvitationClaims' })
export type InvitationClaims = Static<typeof InvitationClaims>
