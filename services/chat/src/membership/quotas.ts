import { type Engine, engineDeadline } from '@webchat/engine'
import type { Config } from '../config.js'
import { errors } from '../errors.js'
import { names } from '../names.js'

const HOUR_MS = 3600_000

/**
 * What one user may make an hour, over all instances: rooms (a public room by the join that makes
 * it, a private room, a direct conversation) and invitations. Each is a counter in the user's
 * name, charged where the thing is made; past it the request is refused and nothing is made.
 * What backends make is not counted.
 */
export interface Quotas {
  /** Counts a room the user starts; too_many_rooms past NEW_ROOMS_PER_HOUR. */
  newRoom (userId: string): Promise<void>
  /** Counts an invitation the user sends; rate_limited past INVITES_PER_HOUR. */
  invite (userId: string): Promise<void>
}

export function createQuotas ({ engine, config }: { engine: Engine, config: Config }): Quotas {
  const take = async (key: string): Promise<number> =>
    (await engineDeadline(engine.counters.increment(key, HOUR_MS, 1, { share: 'traffic' }), config.engineTimeoutMs)).count
  return {
    async newRoom (userId) {
      if (await take(names.newRooms(userId)) > config.newRoomsPerHour) {
        throw new errors.TooManyRooms(`you started ${config.newRoomsPerHour} new rooms in the last hour: join a room that exists, or wait`)
      }
    },
    async invite (userId) {
      if (await take(names.invites(userId)) > config.invitesPerHour) {
        throw new errors.RateLimited(`you sent ${config.invitesPerHour} invitations in the last hour: wait`)
      }
    }
  }
}
