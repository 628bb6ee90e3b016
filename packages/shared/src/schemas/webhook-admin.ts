import Type, { type Static } from 'typebox'
import { IsoTime } from './common.js'

/** The backend routes that show webhook endpoints' queues and replay their dead letters. */

const LOG_ID_PATTERN = '^[0-9]{1,20}-[0-9]{1,20}$'

export const WebhookEndpointParams = Type.Object({ name: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,39}$' }) }, { additionalProperties: false })
export type WebhookEndpointParams = Static<typeof WebhookEndpointParams>

export const WebhookEndpointStatus = Type.Object({
  name: Type.String({ description: 'the endpoint\'s name in WEBHOOKS_FILE, or `hook-` and a digest of its URL' }),
  origin: Type.String({ description: 'scheme, host and port of its URL (its path may hold a token: not shown)' }),
  events: Type.Array(Type.String()),
  queued: Type.Integer({ minimum: 0, description: 'events not delivered yet' }),
  pending: Type.Integer({ minimum: 0, description: 'of those, attempted at least once (in flight or waiting for a retry)' }),
  dead: Type.Integer({ minimum: 0, description: 'dead letters held' })
}, { additionalProperties: false })

export const WebhookEndpoints = Type.Object({ endpoints: Type.Array(WebhookEndpointStatus) }, { $id: 'WebhookEndpoints', additionalProperties: false })
export type WebhookEndpoints = Static<typeof WebhookEndpoints>

export const DeadLettersQuery = Type.Object({
  after: Type.Optional(Type.String({ pattern: LOG_ID_PATTERN, description: 'the `next` of the page before' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 }))
}, { additionalProperties: false })

export const DeadLetterEntry = Type.Object({
  id: Type.String({ pattern: LOG_ID_PATTERN }),
  attempts: Type.Integer({ minimum: 0 }),
  reason: Type.String({ description: 'the last attempt\'s failure: `status 500`, `timeout`, a network error\'s code' }),
  at: IsoTime,
  event: Type.Unknown({ description: 'the event as it would have been delivered' })
}, { additionalProperties: false })

export const DeadLetters = Type.Object({
  deadLetters: Type.Array(DeadLetterEntry),
  next: Type.Optional(Type.String({ pattern: LOG_ID_PATTERN, description: 'pass as `after` for the next page; absent on the last' }))
}, { $id: 'DeadLetters', additionalProperties: false })
export type DeadLetters = Static<typeof DeadLetters>

export const ReplayRequest = Type.Object({
  ids: Type.Optional(Type.Array(Type.String({ pattern: LOG_ID_PATTERN }), { minItems: 1, maxItems: 1000, description: 'dead letters to send again; absent: all of them' }))
}, { $id: 'ReplayRequest', additionalProperties: false })

export const ReplayResponse = Type.Object({
  replayed: Type.Integer({ minimum: 0, description: 'dead letters queued again (as new events to deliver, with their ids)' })
}, { $id: 'ReplayResponse', additionalProperties: false })
