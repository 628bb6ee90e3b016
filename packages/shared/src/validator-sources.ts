import { ErrorBody } from './errors.js'
import { CodeAccepted, IntrospectResponse, Jwks, TokenResponse, UserBody, WebConfig } from './schemas/auth.js'
import { MessagesPage, RoomPresence } from './schemas/chat-http.js'
import { ClientFrames, ServerFrames } from './schemas/frames.js'
import { TokenClaims } from './schemas/token.js'

/** The schemas compiled ahead of time into `validators.generated.ts`, by exported name. */
export const validatorSources = {
  clientJoin: ClientFrames.join,
  clientLeave: ClientFrames.leave,
  clientSend: ClientFrames.send,
  clientTyping: ClientFrames.typing,
  clientRead: ClientFrames.read,
  clientHistory: ClientFrames.history,
  clientRefresh: ClientFrames.refresh,
  serverReady: ServerFrames.ready,
  serverJoined: ServerFrames.joined,
  serverLeft: ServerFrames.left,
  serverMessage: ServerFrames.message,
  serverAck: ServerFrames.ack,
  serverPresence: ServerFrames.presence,
  serverTyping: ServerFrames.typing,
  serverRead: ServerFrames.read,
  serverHistory: ServerFrames.history,
  serverEvent: ServerFrames.event,
  serverRefreshed: ServerFrames.refreshed,
  serverError: ServerFrames.error,
  errorBody: ErrorBody,
  codeAccepted: CodeAccepted,
  userBody: UserBody,
  tokenResponse: TokenResponse,
  introspectResponse: IntrospectResponse,
  jwks: Jwks,
  webConfig: WebConfig,
  messagesPage: MessagesPage,
  roomPresence: RoomPresence,
  tokenClaims: TokenClaims
} as const
