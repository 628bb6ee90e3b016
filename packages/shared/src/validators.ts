import * as generated from './validators.generated.js'
import type { ErrorBody } from './errors.js'
import type { CodeAccepted, IntrospectResponse, Jwks, TokenResponse, UserBody, WebConfig } from './schemas/auth.js'
import type { BeforeSendAnswer } from './schemas/before-send.js'
import type { MessagesPage, RoomPresence } from './schemas/chat-http.js'
import type { ClientFrameOf, ClientFrameType, ServerFrameOf, ServerFrameType } from './schemas/frames.js'
import type { InvitationClaims, InvitationResponse } from './schemas/invitation.js'
import type { NotificationJob } from './schemas/notifications.js'
import type { TokenClaims } from './schemas/token.js'
import type { WebhookEvent } from './schemas/webhooks.js'

type Guard<T> = (value: unknown) => value is T
const guard = <T>(check: (value: unknown) => boolean): Guard<T> => check as Guard<T>

/** Precompiled validators of client frames, by `type`. */
export const clientFrameValidators: { readonly [K in ClientFrameType]: Guard<ClientFrameOf<K>> } = {
  join: guard(generated.clientJoin),
  leave: guard(generated.clientLeave),
  send: guard(generated.clientSend),
  edit: guard(generated.clientEdit),
  delete: guard(generated.clientDelete),
  react: guard(generated.clientReact),
  typing: guard(generated.clientTyping),
  read: guard(generated.clientRead),
  history: guard(generated.clientHistory),
  refresh: guard(generated.clientRefresh),
  create: guard(generated.clientCreate),
  direct: guard(generated.clientDirect),
  invite: guard(generated.clientInvite),
  remove: guard(generated.clientRemove),
  set_role: guard(generated.clientSetRole),
  mute: guard(generated.clientMute),
  unmute: guard(generated.clientUnmute),
  ban: guard(generated.clientBan),
  unban: guard(generated.clientUnban),
  update_room: guard(generated.clientUpdateRoom),
  leave_room: guard(generated.clientLeaveRoom),
  list_rooms: guard(generated.clientListRooms),
  list_members: guard(generated.clientListMembers)
}

/** Precompiled validators of server frames, by `type`. */
export const serverFrameValidators: { readonly [K in ServerFrameType]: Guard<ServerFrameOf<K>> } = {
  ready: guard(generated.serverReady),
  joined: guard(generated.serverJoined),
  left: guard(generated.serverLeft),
  message: guard(generated.serverMessage),
  change: guard(generated.serverChange),
  ack: guard(generated.serverAck),
  presence: guard(generated.serverPresence),
  typing: guard(generated.serverTyping),
  read: guard(generated.serverRead),
  history: guard(generated.serverHistory),
  event: guard(generated.serverEvent),
  refreshed: guard(generated.serverRefreshed),
  error: guard(generated.serverError),
  done: guard(generated.serverDone),
  rooms: guard(generated.serverRooms),
  inbox: guard(generated.serverInbox),
  room: guard(generated.serverRoom),
  room_removed: guard(generated.serverRoomRemoved),
  room_updated: guard(generated.serverRoomUpdated),
  members: guard(generated.serverMembers),
  member: guard(generated.serverMember)
}

/** Precompiled validators of HTTP bodies, token claims and what chat and host products send each other. */
export const validate = {
  errorBody: guard<ErrorBody>(generated.errorBody),
  codeAccepted: guard<CodeAccepted>(generated.codeAccepted),
  userBody: guard<UserBody>(generated.userBody),
  tokenResponse: guard<TokenResponse>(generated.tokenResponse),
  introspectResponse: guard<IntrospectResponse>(generated.introspectResponse),
  jwks: guard<Jwks>(generated.jwks),
  webConfig: guard<WebConfig>(generated.webConfig),
  messagesPage: guard<MessagesPage>(generated.messagesPage),
  roomPresence: guard<RoomPresence>(generated.roomPresence),
  tokenClaims: guard<TokenClaims>(generated.tokenClaims),
  invitationResponse: guard<InvitationResponse>(generated.invitationResponse),
  invitationClaims: guard<InvitationClaims>(generated.invitationClaims),
  webhookEvent: guard<WebhookEvent>(generated.webhookEvent),
  beforeSendAnswer: guard<BeforeSendAnswer>(generated.beforeSendAnswer),
  notificationJob: guard<NotificationJob>(generated.notificationJob)
}
