import type { ClientFrameOf, Member } from '@webchat/shared'
import type { Config } from '../config.js'
import type { MessageExtras } from '../delivery/messages.js'
import { errors } from '../errors.js'
import type { Membership } from '../membership/service.js'
import type { Reader } from './reader.js'

/**
 * What a send carries besides its text, checked against the room: mentions of its members only
 * (one read of the roster for all of them), `@room` from the roles ROOM_MENTION_ROLES names, a
 * reply to a message the room's log holds. A plain message costs no read at all.
 */
export async function checkExtras (
  deps: { config: Config, membership: Membership, reader: Reader },
  user: Member,
  { room, mentions, mentionsRoom, replyTo }: ClientFrameOf<'send'>
): Promise<MessageExtras> {
  const extras: MessageExtras = {}
  const ids = mentions ?? []
  if (ids.length > 0 || mentionsRoom === true) {
    const [own, ...roles] = await deps.membership.roles(room, [user.id, ...ids])
    const strangers = ids.filter((_, i) => roles[i] === null)
    if (strangers.length > 0) throw new errors.BadRequest(`only members of the room can be mentioned: ${strangers.join(', ')} ${strangers.length === 1 ? 'is' : 'are'} not`)
    if (mentionsRoom === true && (own === null || own === undefined || !deps.config.roomMentionRoles.includes(own))) {
      throw new errors.Forbidden(`@room is for ${deps.config.roomMentionRoles.join(' and ')} of the room`)
    }
    if (ids.length > 0) extras.mentions = ids
    if (mentionsRoom === true) extras.mentionsRoom = true
  }
  if (replyTo !== undefined) {
    const found = await deps.reader.find(room, replyTo)
    if (found === null || found.state.deleted !== undefined) throw new errors.NotFound('no such message in this room to reply to')
    extras.replyTo = { id: found.message.id, user: found.message.user, text: found.state.text ?? found.message.text }
  }
  return extras
}
