import { idHash } from './identity.js'

/**
 * One of eight colors per user, from their id (never the name, which anyone can copy), as a class
 * (no inline styles under the CSP). The low bits of the hash; the tag uses the others.
 */
export function colorClass (id: string): string {
  return `av-${idHash(id) & 7}`
}

export function initials (name: string): string {
  const parts = name.trim().split(/\s+/).filter((p) => p !== '')
  const letters = parts.length > 1 ? [parts[0]!, parts[parts.length - 1]!].map((p) => [...p][0]) : [...(parts[0] ?? '?')].slice(0, 1)
  return letters.join('').toUpperCase()
}
