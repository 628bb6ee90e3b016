/**
 * The part of the WebSocket API the connection uses: the browser's `WebSocket` and the `ws`
 * package's both fit. Handler parameters are typed `never` so that either class's own event types
 * are accepted; the connection annotates what it reads (`data`, `code`, `reason`).
 */
export interface SocketLike {
  readonly readyState: number
  onopen: ((event: never) => void) | null
  onmessage: ((event: never) => void) | null
  onclose: ((event: never) => void) | null
  onerror: ((event: never) => void) | null
  send (data: string): void
  close (code?: number, reason?: string): void
}

export type SocketConstructor = new (url: string, protocols: string[]) => SocketLike

export const OPEN = 1

/** Turns a `chatUrl` from `/config.json` into an absolute ws(s) URL; relative means this page's origin. */
export function resolveChatUrl (chatUrl: string, pageUrl: string): string {
  const url = new URL(chatUrl, pageUrl)
  if (url.protocol === 'http:') url.protocol = 'ws:'
  else if (url.protocol === 'https:') url.protocol = 'wss:'
  return url.href
}
