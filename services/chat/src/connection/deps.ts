import type { FastifyBaseLogger } from 'fastify'
import type { Engine } from '@webchat/engine'
import type { Config } from '../config.js'
import type { Outbox } from './outbox.js'
import type { Connections } from '../plugins/app/connections.js'
import type { Messages } from '../plugins/app/messages.js'
import type { Metrics } from '../plugins/app/metrics.js'
import type { Presence } from '../plugins/app/presence.js'
import type { Rooms } from '../plugins/app/rooms.js'
import type { Tokens } from '../plugins/app/tokens.js'

/** What frame handlers use: the app's services, taken from the Fastify instance once. */
export interface ChatDeps {
  config: Config
  engine: Engine
  tokens: Tokens
  rooms: Rooms
  presence: Presence
  messages: Messages
  connections: Connections
  metrics: Metrics
  outbox: Outbox
  log: FastifyBaseLogger
}
