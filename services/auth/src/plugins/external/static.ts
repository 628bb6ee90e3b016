import { resolve } from 'node:path'
import fastifyStatic from '@fastify/static'
import fp from 'fastify-plugin'

/**
 * The headers of every web app page: a strict CSP that lets scripts talk only to us and the chat
 * socket, by name: no `ws:`/`wss:` wildcard, which would let an injected script send the page's
 * data to any socket host. A relative chat URL is on the page's own origin, which `'self'` covers
 * for ws: and wss: too (CSP Level 3; Chrome since 71, Safari since 16).
 */
export function pageHeaders (chatUrl: string): Record<string, string> {
  let connect = "'self'"
  try {
    connect += ` ${new URL(chatUrl).origin}`
  } catch {
    // relative: same origin, already allowed
  }
  return {
    'content-security-policy': [
      "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
      `connect-src ${connect}`, "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'"
    ].join('; '),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin'
  }
}

/** Serves the built web app (hashed assets cached for good, everything else revalidated). */
export default fp<{ root: string, chatUrl: string }>(async function staticPlugin (fastify, { root, chatUrl }) {
  const headers = pageHeaders(chatUrl)
  await fastify.register(fastifyStatic, {
    root: resolve(root),
    wildcard: true,
    cacheControl: false,
    setHeaders (reply, path) {
      void reply.headers(headers)
        .header('cache-control', /[/\\]assets[/\\]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache')
    }
  })
}, { name: 'auth-static' })
