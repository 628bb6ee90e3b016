import { colorClass, initials } from '../model/avatar.js'

export function Avatar ({ id, name, small = false }: { id: string, name: string, small?: boolean }) {
  return <span class={`avatar ${colorClass(id)}${small ? ' avatar-small' : ''}`} aria-hidden='true'>{initials(name)}</span>
}
