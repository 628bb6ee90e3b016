import type { BeforeSendAnswer } from './schemas/before-send.js'
import { validate } from './validators.js'

/**
 * The before-send hook's answer in a 200 body, or undefined when the body is no answer: not JSON,
 * an unknown action, a field too many, a reason over the limit, a rewrite to nothing (or only
 * spaces) or past the message limit.
 */
export function parseBeforeSendAnswer (text: string): BeforeSendAnswer | undefined {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return undefined
  }
  return validate.beforeSendAnswer(value) ? value : undefined
}
