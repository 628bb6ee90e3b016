import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { ConfigError } from '@webchat/service-kit'
import { matchesEventFilter, parseEventFilter, type WebhookEventType } from '@webchat/shared'
import { hookUrlProblem } from '../http.js'

/** A receiver of webhooks: where, signed with what, for which events; `name` keys its queue. */
export interface Endpoint {
  name: string
  url: string
  secret: string
  events: string[]
  accepts: (type: WebhookEventType) => boolean
}

/** The settings endpoints come from (config.ts). */
export interface EndpointSettings { webhookUrls: string[], webhookSecret?: string | undefined, webhookEvents: string[], webhooksFile?: string | undefined }

const NAME = /^[a-z0-9][a-z0-9-]{0,39}$/
const MIN_SECRET = 32

/** What WEBHOOKS_FILE holds: a JSON array of these. */
interface FileEntry { name?: unknown, url?: unknown, secret?: unknown, events?: unknown }

/**
 * A name that stays the same across restarts and instances (so that every instance serves the
 * same queue): the one given, or one made from the URL.
 */
const nameOf = (url: string): string => `hook-${createHash('sha256').update(url).digest('hex').slice(0, 12)}`

function endpoint (where: string, url: string, secret: unknown, events: unknown, name?: unknown): Endpoint {
  const problem = hookUrlProblem(url)
  if (problem !== null) throw new ConfigError(`invalid configuration: ${where}: the webhook URL ${problem}`)
  if (typeof secret !== 'string' || secret.length < MIN_SECRET) throw new ConfigError(`invalid configuration: ${where}: a webhook needs a secret of at least ${MIN_SECRET} characters`)
  if (name !== undefined && (typeof name !== 'string' || !NAME.test(name))) throw new ConfigError(`invalid configuration: ${where}: name must be 1 to 40 of a-z, 0-9 and '-', starting with a letter or digit`)
  if (!Array.isArray(events) || !events.every((e): e is string => typeof e === 'string')) throw new ConfigError(`invalid configuration: ${where}: events must be a list of event types`)
  try {
    parseEventFilter(events)
  } catch (err) {
    throw new ConfigError(`invalid configuration: ${where}: ${(err as Error).message}`)
  }
  return { name: (name as string | undefined) ?? nameOf(url), url, secret, events, accepts: (type) => matchesEventFilter(events, type) }
}

function fromFile (path: string): Endpoint[] {
  let entries: unknown
  try {
    entries = JSON.parse(readFileSync(path, 'utf8'))
  } catch (err) {
    throw new ConfigError(`invalid configuration: WEBHOOKS_FILE cannot be read as JSON (${(err as Error).message})`)
  }
  if (!Array.isArray(entries)) throw new ConfigError('invalid configuration: WEBHOOKS_FILE must hold a JSON array of {name?, url, secret, events}')
  return entries.map((entry: FileEntry, i) => {
    if (typeof entry !== 'object' || entry === null || typeof entry.url !== 'string') throw new ConfigError(`invalid configuration: WEBHOOKS_FILE entry ${i} needs a url`)
    return endpoint(`WEBHOOKS_FILE entry ${i}`, entry.url, entry.secret, entry.events ?? ['*'], entry.name)
  })
}

/**
 * Every configured endpoint: WEBHOOK_URLS (all signed with WEBHOOK_SECRET, for WEBHOOK_EVENTS),
 * then WEBHOOKS_FILE's (each with its own secret and events). Throws ConfigError naming the
 * setting at fault; two endpoints with one name would share a queue, so that is refused too.
 */
export function loadEndpoints (config: EndpointSettings): Endpoint[] {
  const listed = config.webhookUrls.map((url, i) => endpoint(`WEBHOOK_URLS entry ${i}`, url, config.webhookSecret, config.webhookEvents))
  const all = [...listed, ...(config.webhooksFile === undefined ? [] : fromFile(config.webhooksFile))]
  const seen = new Set<string>()
  for (const { name } of all) {
    if (seen.has(name)) throw new ConfigError(`invalid configuration: two webhooks are named ${name} (the same URL twice, or the same name)`)
    seen.add(name)
  }
  return all
}
