import { colorClass, initials } from '../model/avatar.js'

/** Initials on the person's color; decorative for screen readers, the hover text says who it is. */
export function Avatar ({ id, name, title, small = false }: { id: string, name: string, title?: string, small?: boolean }) {
  return <span class={`avatar ${colorClass(id)}${small ? ' avatar-small' : ''}`} aria-hidden='true' title={title}>{initials(name)}</span>
}
