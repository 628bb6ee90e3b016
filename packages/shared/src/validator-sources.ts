import { ErrorBody } from './errors.js'
import { CodeAccepted, IntrospectResponse, Jwks, TokenResponse, UserBody, WebConfig } from './schemas/auth.js'
import { BeforeSendAnswer } from './schemas/before-send.js'
import { MessagesPage, RoomPresence } from './schemas/chat-http.js'
import { ClientFrames, ServerFrames } from './schemas/frames.js'
import { InvitationClaims, InvitationResponse } from './schemas/invitation.js'
import { NotificationJob } from './schemas/notifications.js'
import { TokenClaims } from './schemas/token.js'
import { WebhookEvent } from './schemas/webhooks.js'

/** The schemas compiled ahead of time into `validators.generated.ts`, by exported name. */
export const validatorSources = {
  clientJoin: ClientFrames.join,
  clientLeave: ClientFrames.leave,
  clientSend: ClientFrames.send,
  clientEdit: ClientFrames.edit,
  clientDelete: ClientFrames.delete,
  clientReact: ClientFrames.react,
  clientTyping: ClientFrames.typing,
  clientRead: ClientFrames.read,
  clientHistory: ClientFrames.history,
  clientRefresh: ClientFrames.refresh,
  clientCreate: ClientFrames.create,
  clientDirect: ClientFrames.direct,
  clientInvite: ClientFrames.invite,
  clientRemove: ClientFrames.remove,
  clientSetRole: ClientFrames.set_role,
  clientMute: ClientFrames.mute,
  clientUnmute: ClientFrames.unmute,
  clientBan: ClientFrames.ban,
  clientUnban: ClientFrames.unban,
  clientUpdateRoom: ClientFrames.update_room,
  clientLeaveRoom: ClientFrames.leave_room,
  clientListRooms: ClientFrames.list_rooms,
  clientListMembers: ClientFrames.list_members,
  serverReady: ServerFrames.ready,
  serverJoined: ServerFrames.joined,
  serverLeft: ServerFrames.left,
  serverMessage: ServerFrames.message,
  serverChange: ServerFrames.change,
  serverAck: ServerFrames.ack,
  serverPresence: ServerFrames.presence,
  serverTyping: ServerFrames.typing,
  serverRead: ServerFrames.read,
  serverHistory: ServerFrames.history,
  serverEvent: ServerFrames.event,
  serverRefreshed: ServerFrames.refreshed,
  serverError: ServerFrames.error,
  serverDone: ServerFrames.done,
  serverRooms: ServerFrames.rooms,
  serverInbox: ServerFrames.inbox,
  serverRoom: ServerFrames.room,
  serverRoomRemoved: ServerFrames.room_removed,
  serverRoomUpdated: ServerFrames.room_updated,
  serverMembers: ServerFrames.members,
  serverMember: ServerFrames.member,
  errorBody: ErrorBody,
  codeAccepted: CodeAccepted,
  userBody: UserBody,
  tokenResponse: TokenResponse,
  introspectResponse: IntrospectResponse,
  jwks: Jwks,
  webConfig: WebConfig,
  messagesPage: MessagesPage,
  roomPresence: RoomPresence,
  tokenClaims: TokenClaims,
  invitationResponse: InvitationResponse,
  invitationClaims: InvitationClaims,
  webhookEvent: WebhookEvent,
  beforeSendAnswer: BeforeSendAnswer,
  notificationJob: NotificationJob
} as const
