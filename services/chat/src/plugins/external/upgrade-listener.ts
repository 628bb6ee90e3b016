import type { Server } from 'node:http'

/**
 * Stops taking upgrades: later ones reach Fastify as plain requests (503 while closing). This is
 * what @fastify/websocket's own preClose does, but that one also closes every socket without a
 * close code, so ours replaces it and removes the plugin's `upgrade` listener itself, found by its
 * private function name `onUpgrade`. test/plugins/external/upgrade-listener.test.ts fails if that
 * name changes. Returns how many listeners it removed.
 */
export function stopTakingUpgrades (server: Server): number {
  let removed = 0
  for (const listener of server.listeners('upgrade')) {
    if (listener.name !== 'onUpgrade') continue
    server.removeListener('upgrade', listener as (...args: unknown[]) => void)
    removed++
  }
  return removed
}
