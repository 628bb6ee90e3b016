export { createAuthClient, type AuthClient, type AuthClientOptions } from './auth.js'
export {
  createConnection, type Connection, type ConnectionEvents, type ConnectionOptions, type ConnectionState,
  type EndReason, type Invitee, type RoomRequests, type SendOptions, type ChangeOptions, type MessageChanges, type ReactOptions
} from './connection.js'
export { WebchatError, isWebchatError, type ClientErrorCode } from './errors.js'
export { backoffDelay, type BackoffOptions } from './backoff.js'
export { compareIds, newerId, presenceChanges, type PresenceChangeOf } from '@webchat/shared'
export { decodePayload } from './decode.js'
export { resolveChatUrl, type SocketConstructor, type SocketLike } from './socket.js'
export { type NetworkStatus, type Timers } from './timers.js'
export { type TokenSource } from './token.js'
export { type Emitter, type Listener } from './emitter.js'
export { verifySignature, verifyAccessSignature, type SignatureCheck, type AccessSignatureCheck } from './hook-signature.js'
export { verifyWebhook } from './webhook.js'
export {
  SIGNATURE_HEADER, WEBHOOK_EVENT_HEADER, WEBHOOK_ID_HEADER, WEBHOOK_ATTEMPT_HEADER, WEBHOOK_EVENT_TYPES,
  type AccessHookAnswer, type AccessHookRequest, type WebhookEvent, type WebhookEventOf, type WebhookEventType,
  type BeforeSendRequest, type BeforeSendAnswer
} from '@webchat/shared'
