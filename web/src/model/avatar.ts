/** One of eight colors per user, from their id, as a class (no inline styles under the CSP). */
export function colorClass (id: string): string {
  let hash = 0
  for (const ch of id) hash = (hash * 31 + ch.codePointAt(0)!) >>> 0
  return `av-${hash % 8}`
}

export function initials (name: string): string {
  const parts = name.trim().split(/\s+/).filter((p) => p !== '')
  const letters = parts.length > 1 ? [parts[0]!, parts[parts.length - 1]!].map((p) => [...p][0]) : [...(parts[0] ?? '?')].slice(0, 1)
  return letters.join('').toUpperCase()
}
