import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from './schemas/webhooks.js'

/** Headers of a webhook request, besides the signature (hook-signature.ts). */
export const WEBHOOK_EVENT_HEADER = 'webchat-event'
/** The event's `id`: the same on every attempt to deliver it. */
export const WEBHOOK_ID_HEADER = 'webchat-event-id'
/** Which attempt this is: 1, 2, … */
export const WEBHOOK_ATTEMPT_HEADER = 'webchat-attempt'

/** `message.*`, `room.*`, `member.*`: a wildcard for each family of event types. */
const WILDCARDS: readonly string[] = [...new Set(WEBHOOK_EVENT_TYPES.map((type) => `${type.slice(0, type.indexOf('.'))}.*`))]
const TYPES: readonly string[] = WEBHOOK_EVENT_TYPES

/**
 * Checks which events a webhook wants: each entry an event type, a family wildcard such as
 * `message.*`, or `*` for all. Throws a TypeError naming an entry that is none of these, or for no
 * entry at all (a webhook that wants nothing is a mistake, not a setting); returns them deduplicated.
 */
export function parseEventFilter (entries: readonly string[]): string[] {
  if (entries.length === 0) throw new TypeError('a webhook event filter needs at least one entry (* for every event)')
  for (const entry of entries) {
    if (entry !== '*' && !TYPES.includes(entry) && !WILDCARDS.includes(entry)) {
      throw new TypeError(`unknown webhook event filter entry ${JSON.stringify(entry)}: use an event type ` +
        `(${TYPES.join(', ')}), a wildcard (${WILDCARDS.join(', ')}) or *`)
    }
  }
  return [...new Set(entries)]
}

/** Whether a filter (as parseEventFilter returns it) wants events of this type. */
export function matchesEventFilter (filter: readonly string[], type: WebhookEventType): boolean {
  return filter.some((entry) => entry === '*' || entry === type || (entry.endsWith('.*') && type.startsWith(entry.slice(0, -1))))
}
