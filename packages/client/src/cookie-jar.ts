/**
 * A minimal in-memory cookie jar for clients outside a browser (tests, benchmarks, bots), for
 * the one origin an auth client talks to: it keeps `name=value` pairs from Set-Cookie and drops
 * a cookie the server expires.
 */
export interface CookieJar {
  store (setCookies: readonly string[]): void
  header (): string | undefined
  clear (): void
}

function expired (attributes: string[]): boolean {
  for (const attribute of attributes) {
    const [rawName, ...rest] = attribute.split('=')
    const name = rawName?.trim().toLowerCase()
    const value = rest.join('=').trim()
    if (name === 'max-age' && Number(value) <= 0) return true
    if (name === 'expires' && Date.parse(value) <= Date.now()) return true
  }
  return false
}

export function createCookieJar (): CookieJar {
  const cookies = new Map<string, string>()
  return {
    store (setCookies) {
      for (const line of setCookies) {
        const [pair = '', ...attributes] = line.split(';')
        const eq = pair.indexOf('=')
        if (eq <= 0) continue
        const name = pair.slice(0, eq).trim()
        if (expired(attributes)) cookies.delete(name)
        else cookies.set(name, pair.slice(eq + 1).trim())
      }
    },
    header () {
      if (cookies.size === 0) return undefined
      return [...cookies].map(([name, value]) => `${name}=${value}`).join('; ')
    },
    clear () { cookies.clear() }
  }
}
