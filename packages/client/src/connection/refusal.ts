import type { ServerFrameOf } from '@webchat/shared'
import { WebchatError, type ClientErrorCode } from '../errors.js'

/** An error for the caller, about the room or clientMsgId `ref` when there is one. */
export const fail = (code: ClientErrorCode | ServerFrameOf<'error'>['code'], message: string, ref?: string): WebchatError =>
  new WebchatError(code, message, ref === undefined ? {} : { ref })

/** Refusals that pass: the same frame later may succeed. */
export const passing = (code: string): boolean => code === 'rate_limited' || code === 'unavailable'
