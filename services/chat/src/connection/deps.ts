import type { FastifyBaseLogger } from 'fastify'
import type { Engine } from '@webchat/engine'
import type { Allowances } from '../allowances.js'
import type { BeforeSend } from '../hooks/before-send.js'
import type { Activity } from '../notify/activity.js'
import type { Notifier } from '../notify/notifier.js'
import type { Config } from '../config.js'
import type { Messages } from '../delivery/messages.js'
import type { Changes } from '../lifecycle/changes.js'
import type { Reader } from '../lifecycle/reader.js'
import type { Outbox } from '../delivery/outbox.js'
import type { Inbox } from '../inbox/service.js'
import type { Rooms } from '../delivery/rooms.js'
import type { Membership } from '../membership/service.js'
import type { Metrics } from '../metrics.js'
import type { Presence } from '../presence.js'
import type { ReconnectTickets } from '../reconnect-tickets.js'
import type { Tickets } from '../tickets.js'
import type { Tokens } from '../tokens.js'
import type { Connections } from './connections.js'

/** What frame handlers use: the app's services, taken from the Fastify instance once. */
export interface ChatDeps {
  config: Config
  engine: Engine
  tokens: Tokens
  /** Reconnect tickets (given in `ready`); `tickets` are invitations. */
  reconnectTickets: ReconnectTickets
  tickets: Tickets
  rooms: Rooms
  presence: Presence
  messages: Messages
  reader: Reader
  changes: Changes
  connections: Connections
  metrics: Metrics
  outbox: Outbox
  allowances: Allowances
  membership: Membership
  inbox: Inbox
  beforeSend: BeforeSend | undefined
  activity: Activity
  notifier: Notifier | undefined
  log: FastifyBaseLogger
}
