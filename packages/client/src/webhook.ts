import { validate, type WebhookEvent } from '@webchat/shared'
import { type SignatureCheck, verifySignature } from './hook-signature.js'

/**
 * For host products that receive chat's webhooks: the event, once the request's signature checks
 * out (as verifySignature) and its body is an event of a known type and shape; null otherwise.
 * An event may come more than once (delivery is at least once): drop an `id` already handled.
 */
export async function verifyWebhook (check: SignatureCheck): Promise<WebhookEvent | null> {
  if (!await verifySignature(check)) return null
  let value: unknown
  try {
    value = JSON.parse(check.body)
  } catch {
    return null
  }
  return validate.webhookEvent(value) ? value : null
}
