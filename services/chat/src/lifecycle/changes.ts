import { type AppendResult, type Engine, engineDeadline } from '@webchat/engine'
import { isReaction, LIMITS, type Member, react } from '@webchat/shared'
import type { Config } from '../config.js'
import { derivedUuid } from '../derived-id.js'
import type { Webhooks } from '../hooks/webhooks/emitter.js'
import { errors } from '../errors.js'
import type { Membership } from '../membership/service.js'
import { names } from '../names.js'
import { type ChangeBody, changePublish, type ChangeResult, encodeChange } from './entries.js'
import type { Found, Reader } from './reader.js'
import { type MessageState, stateText } from './states.js'

/** Edits, deletions and reactions: each one entry in the room's log, acknowledged with its id. */
export interface Changes {
  edit (room: string, user: Member, id: string, text: string, clientMsgId: string): Promise<string>
  remove (room: string, user: Member, id: string, clientMsgId: string): Promise<string>
  react (room: string, user: Member, id: string, emoji: string, remove: boolean, clientMsgId: string): Promise<string>
}

/** What a change does to the message it found: its entry, the state after it, entries it erases. */
interface Plan { body: Omit<ChangeBody, 'ts' | 'room' | 'user' | 'target' | 'clientMsgId'>, next: MessageState, result: ChangeResult, remove?: string[] }
/** A change that would change nothing (a reaction the user already put there): nothing is stored. */
const NOTHING = Symbol('nothing')

/**
 * Another change to the same message between the read and the write: read again. A popular
 * message takes many reactions at once, from every instance: each round one of them lands, and
 * the rest wait a random few milliseconds (more each round) so that they do not collide again.
 */
const ATTEMPTS = 30
const backoff = async (attempt: number): Promise<void> => await new Promise((resolve) => setTimeout(resolve, Math.random() * 4 * (attempt + 1)))
/** A guard no field ever holds: the append only reports an idempotent repeat, storing nothing. */
const NEVER = '\u0000'

export function createChanges ({ engine, config, reader, membership, webhooks }: { engine: Engine, config: Config, reader: Reader, membership: Membership, webhooks: Webhooks }): Changes {
  const deadline = <T>(promise: Promise<T>): Promise<T> => engineDeadline(promise, config.engineTimeoutMs)
  const editWindowMs = config.editWindowMinutes * 60_000

  const optionsOf = (room: string, user: Member, clientMsgId: string) => ({
    maxLen: config.roomHistory,
    entryStates: names.roomStates(room),
    idempotency: { key: names.clientMessage(user.id, clientMsgId), ttlMs: LIMITS.idempotencyMs }
  })

  /** The first result of an earlier change with this clientMsgId, if there was one: a retry is acknowledged, not refused. */
  const repeated = async (room: string, user: Member, target: string, clientMsgId: string): Promise<AppendResult | null> => {
    const probe = await deadline(engine.logs.change(names.roomLog(room), '', optionsOf(room, user, clientMsgId), { map: names.roomStates(room), field: target, expect: NEVER, value: null }))
    return probe !== null && probe !== 'conflict' ? probe : null
  }

  /** `stored` runs once the change is in the log, not for a retry of one that was (the host product hears of it once). */
  const apply = async (room: string, user: Member, target: string, clientMsgId: string, decide: (found: Found) => Plan | typeof NOTHING | Promise<Plan>, stored?: (plan: Plan, id: string) => Promise<void>): Promise<string> => {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (attempt > 0) await backoff(attempt)
      let plan: Plan | typeof NOTHING
      let found: Found | null = null
      try {
        found = await reader.find(room, target)
        if (found === null || found.state.deleted !== undefined) throw new errors.NotFound('no such message in this room')
        plan = await decide(found)
      } catch (err) {
        const earlier = await repeated(room, user, target, clientMsgId)
        if (earlier !== null) return earlier.id
        throw err
      }
      // A retry of a change that landed (its reaction is there now) gets the id it got; a plain
      // no-op is acknowledged with the message's id: there is no change to name.
      if (plan === NOTHING) return (await repeated(room, user, target, clientMsgId))?.id ?? target
      const body: ChangeBody = { ...plan.body, ts: Date.now(), room, user, target, clientMsgId }
      const options = { ...optionsOf(room, user, clientMsgId), publish: { channel: names.roomChannel(room), ...changePublish(body, plan.result) } }
      const guard = { map: names.roomStates(room), field: target, expect: found.raw, value: stateText(plan.next), remove: plan.remove }
      const result = await deadline(engine.logs.change(names.roomLog(room), encodeChange(body), options, guard))
      if (result === null) throw new errors.NotFound('no such message in this room')
      if (result === 'conflict') continue
      if (!result.duplicate) await stored?.(plan, result.id)
      return result.id
    }
    throw new errors.Conflict('the message kept changing: try again')
  }

  return {
    async edit (room, user, id, text, clientMsgId) {
      return await apply(room, user, id, clientMsgId, ({ message, state }) => {
        if (message.user.id !== user.id) throw new errors.Forbidden('only its author may edit a message')
        if (Date.now() - message.ts > editWindowMs) throw new errors.EditWindowPassed(`a message may be edited for ${config.editWindowMinutes} minutes after it was sent`)
        const edits = (state.edits ?? 0) + 1
        if (edits > LIMITS.editsPerMessage) throw new errors.RateLimited(`a message may be edited at most ${LIMITS.editsPerMessage} times`)
        const editedAt = Date.now()
        return { body: { kind: 'edit' }, next: { ...state, text, editedAt, edits }, result: { text, editedAt } }
      }, async ({ result }, change) => {
        await webhooks.emit('message.edited', { room, id, text, editedAt: result.editedAt ?? Date.now(), editedBy: { id: user.id, name: user.name } }, derivedUuid(['message.edited', room, change]))
      })
    },

    async remove (room, user, id, clientMsgId) {
      return await apply(room, user, id, clientMsgId, async ({ message }) => {
        if (message.user.id !== user.id) {
          const [role] = await membership.roles(room, [user.id])
          if (role !== 'owner' && role !== 'moderator') throw new errors.Forbidden('only its author, a moderator or the owner may delete a message')
        }
        return { body: { kind: 'delete' }, next: { deleted: { by: user.id, ts: Date.now() } }, result: {}, remove: [message.id] }
      }, async (_plan, change) => {
        await webhooks.emit('message.deleted', { room, id, deletedBy: { id: user.id, name: user.name } }, derivedUuid(['message.deleted', room, change]))
      })
    },

    async react (room, user, id, emoji, remove, clientMsgId) {
      if (!isReaction(emoji)) throw new errors.InvalidReaction('a reaction is one emoji')
      return await apply(room, user, id, clientMsgId, ({ state }) => {
        const before = state.reactions ?? []
        const reactions = react(before, user, emoji, remove)
        if (reactions === 'too_many_reactions') {
          throw new errors.TooManyReactions(`a message takes at most ${LIMITS.reactionsPerMessage} different emoji, and ${LIMITS.reactionsPerUser} of one user`)
        }
        if (reactions === before) return NOTHING
        return { body: remove ? { kind: 'reaction', emoji, removed: true } : { kind: 'reaction', emoji }, next: { ...state, reactions }, result: { reactions } }
      })
    }
  }
}
