import type { ErrorCode } from './errors.js'
import { ClientFrames, type ClientFrame } from './schemas/frames.js'
import { clientFrameValidators } from './validators.js'

export type ParseResult =
  | { ok: true, frame: ClientFrame }
  | { ok: false, code: ErrorCode, message: string }

const hasOwn = Object.prototype.hasOwnProperty

/**
 * Parses and validates one client text frame. Never throws: malformed JSON, a non-object, an
 * unknown `type` or a frame that breaks its schema (wrong types, extra fields, `__proto__` keys)
 * each gives a typed error.
 */
export function parseClientFrame (text: string): ParseResult {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return { ok: false, code: 'bad_frame', message: 'frame is not valid JSON' }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, code: 'bad_frame', message: 'frame must be a JSON object' }
  }
  const type = (value as { type?: unknown }).type
  if (typeof type !== 'string' || !hasOwn.call(ClientFrames, type)) {
    return { ok: false, code: 'unknown_type', message: 'unknown frame type' }
  }
  const check = clientFrameValidators[type as keyof typeof ClientFrames]
  if (!check(value)) {
    return { ok: false, code: 'bad_frame', message: `invalid ${type} frame` }
  }
  return { ok: true, frame: value as ClientFrame }
}

/**
 * A record read back from storage: the JSON object if it parses and each named field has its
 * type, else null (never throws). Other fields are left as they are.
 */
export function parseRecord<T extends object> (raw: string, fields: { readonly [K in keyof T]: 'string' | 'number' | 'boolean' }): T | null {
  let value: unknown
  try {
    value = JSON.parse(raw)
  } catch {
    return null
  }
  if (typeof value !== 'object' || value === null) return null
  for (const [name, type] of Object.entries(fields)) {
    if (typeof (value as Record<string, unknown>)[name] !== type) return null
  }
  return value as T
}
