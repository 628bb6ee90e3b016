const DAY_MS = 86_400_000

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' })
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' })
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long' })
const dayYearFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'long', year: 'numeric' })

/** "14:05" in the reader's locale. */
export const formatTime = (ts: number): string => timeFormat.format(ts)

/** "Monday, 3 March 2025 at 14:05", for a title attribute. */
export const formatFull = (ts: number): string => fullFormat.format(ts)

function startOfDay (ts: number): number {
  const d = new Date(ts)
  d.setHours(0, 0, 0, 0)
  return d.getTime()
}

export const sameDay = (a: number, b: number): boolean => startOfDay(a) === startOfDay(b)

/** "Today", "Yesterday", "Monday, 3 March", or with the year when it is not this year. */
export function dayLabel (ts: number, now: number): string {
  const days = Math.round((startOfDay(now) - startOfDay(ts)) / DAY_MS)
  if (days === 0) return 'Today'
  if (days === 1) return 'Yesterday'
  return new Date(ts).getFullYear() === new Date(now).getFullYear() ? dayFormat.format(ts) : dayYearFormat.format(ts)
}

/** A wait in words: "45 s", "3 min", "1 h 5 min". */
export function formatWait (seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds))
  if (s < 60) return `${s} s`
  const min = Math.ceil(s / 60)
  if (min < 60) return `${min} min`
  const h = Math.floor(min / 60)
  const rest = min % 60
  return rest === 0 ? `${h} h` : `${h} h ${rest} min`
}
