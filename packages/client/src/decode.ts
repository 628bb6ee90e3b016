import { serverFrameValidators, type ServerFrame, type ServerFrameType } from '@webchat/shared'

export interface Decoded {
  frames: ServerFrame[]
  /** Items that were not valid server frames and were dropped. */
  dropped: number
}

const hasOwn = Object.prototype.hasOwnProperty
const utf8 = new TextDecoder()

function asText (data: unknown): string | undefined {
  if (typeof data === 'string') return data
  if (data instanceof ArrayBuffer) return utf8.decode(data)
  if (ArrayBuffer.isView(data)) return utf8.decode(data)
  return undefined
}

function isServerFrame (value: unknown): value is ServerFrame {
  if (typeof value !== 'object' || value === null) return false
  const type = (value as { type?: unknown }).type
  if (typeof type !== 'string' || !hasOwn.call(serverFrameValidators, type)) return false
  return serverFrameValidators[type as ServerFrameType](value)
}

/**
 * One WebSocket message from the server: a frame object, or an array of frames sent together.
 * Anything that is not valid JSON or breaks its frame schema is dropped, never thrown.
 */
export function decodePayload (data: unknown): Decoded {
  const text = asText(data)
  if (text === undefined) return { frames: [], dropped: 1 }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return { frames: [], dropped: 1 }
  }
  const items = Array.isArray(value) ? value : [value]
  const frames = items.filter(isServerFrame)
  return { frames, dropped: items.length - frames.length }
}
