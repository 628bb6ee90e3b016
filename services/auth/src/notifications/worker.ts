import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import type { FastifyBaseLogger } from 'fastify'
import type { QueueEntry, Queues } from '@webchat/engine'
import { NOTIFICATION_QUEUE } from '@webchat/shared'
import type { Outcome } from './deliver.js'

/** Jobs one instance takes at a time: their mails are sent side by side. */
export const NOTIFICATION_BATCH = 5

export interface WorkerOptions {
  queues: Queues
  deliver: (entry: QueueEntry) => Promise<Outcome>
  /** Retry delays by failed attempt (see `retryDelays`). */
  retryAfterMs: number[]
  /** How long an idle worker waits before it looks again. */
  pollMs: number
  log: FastifyBaseLogger
  onOutcome: (outcome: Outcome) => void
}

export interface Worker {
  /** Takes no more jobs and resolves once those in hand are done (each within the SMTP timeout). */
  stop (): Promise<void>
}

/**
 * The waits between attempts: `firstMs`, doubling up to `maxMs`, one figure per attempt up to the
 * cap (the queue repeats the last). Each is also how long one attempt may hold a job before another
 * instance takes it, hence the config check that the first exceeds the SMTP timeout.
 */
export function retryDelays (firstMs: number, maxMs: number, maxAttempts: number): number[] {
  const delays = [Math.min(firstMs, maxMs)]
  while (delays.length < maxAttempts && delays.at(-1)! < maxMs) delays.push(Math.min(delays.at(-1)! * 2, maxMs))
  return delays
}

/**
 * Takes notification jobs from the shared queue and hands each to `deliver`, under a consumer name
 * of its own (host, process, random), so that every worker of every instance is told apart. A
 * failure of the engine or of one job is logged and the loop goes on; an entry not acknowledged
 * comes back after its retry delay, to this worker or another.
 */
export function startNotificationWorker (options: WorkerOptions): Worker {
  const { queues, deliver, retryAfterMs, pollMs, log, onOutcome } = options
  const consumer = `auth-${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`
  let stopped = false
  let wake: (() => void) | undefined
  const idle = async (): Promise<void> => await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, pollMs)
    timer.unref()
    wake = () => { clearTimeout(timer); resolve() }
  })

  const handle = async (entry: QueueEntry): Promise<void> => {
    try {
      onOutcome(await deliver(entry))
    } catch (err) {
      log.warn({ err, entry: entry.id, attempt: entry.attempt }, 'notification job not handled; it is retried')
    }
  }

  const loop = async (): Promise<void> => {
    while (!stopped) {
      let entries: QueueEntry[] = []
      try {
        entries = await queues.take(NOTIFICATION_QUEUE, consumer, { count: NOTIFICATION_BATCH, retryAfterMs })
      } catch (err) {
        log.warn({ err }, 'notification queue not readable')
      }
      await Promise.all(entries.map(handle))
      if (entries.length === 0 && !stopped) await idle()
    }
  }
  const running = loop()

  return {
    async stop () {
      stopped = true
      wake?.()
      await running
    }
  }
}
