import { useSignal } from '@preact/signals'
import { useEffect, useRef } from 'preact/hooks'
import { MUTE_CHOICES, type MenuItem } from '../../model/member-actions.js'
import type { Moderation } from '../../store/room-actions.js'
import { Icon } from '../icon.js'
import { Menu } from '../menu.js'

interface Props {
  /** The member's name as shown. */
  name: string
  items: readonly MenuItem[]
  /** Resolves with the server's refusal, if any. */
  act (what: Moderation): Promise<string | undefined>
}

const LABELS: Record<Exclude<MenuItem, 'mute' | 'hand_over'>, string> = {
  unmute: 'Unmute',
  promote: 'Make moderator',
  demote: 'Remove moderator role',
  remove: 'Remove from room',
  ban: 'Ban from room'
}

type Stage = 'main' | 'mute' | 'owner'

/** A member's menu: what the viewer's role allows, a mute's length, and a confirmation before handing the room over. */
export function MemberMenu ({ name, items, act }: Props) {
  const stage = useSignal<Stage>('main')
  const error = useSignal('')
  const busy = useSignal(false)
  const list = useRef<HTMLDivElement>(null)
  // A new step of the menu takes focus at its first choice.
  useEffect(() => { list.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus() }, [stage.value])

  const run = (what: Moderation, close: () => void): void => {
    busy.value = true
    error.value = ''
    void act(what).then((failure) => {
      busy.value = false
      if (failure === undefined) close()
      else error.value = failure
    })
  }
  const item = (label: string, onClick: () => void, danger = false) => (
    <button key={label} class={danger ? 'menu-item danger' : 'menu-item'} type='button' role='menuitem' disabled={busy.value} onClick={onClick}>{label}</button>
  )

  const notes: Record<Stage, string | undefined> = {
    main: undefined,
    mute: `Mute ${name} for:`,
    owner: `Make ${name} the owner? You become a moderator.`
  }

  return (
    <Menu
      label={`Actions for ${name}`} face={<Icon name='more' />} class='member-menu' note={notes[stage.value]} error={error.value}
      onClose={() => { stage.value = 'main'; error.value = '' }}
    >
      {(close) => (
        <div ref={list} class='menu-stage' role='none'>
          {stage.value === 'main' && items.map((it) => it === 'mute'
            ? item('Mute…', () => { stage.value = 'mute' })
            : it === 'hand_over'
              ? item('Make owner…', () => { stage.value = 'owner' })
              : item(LABELS[it], () => run({ item: it }, close), it === 'remove' || it === 'ban'))}
          {stage.value === 'mute' && [
            ...MUTE_CHOICES.map((c) => item(c.label, () => run({ item: 'mute', minutes: c.minutes }, close))),
            item('Back', () => { stage.value = 'main' })
          ]}
          {stage.value === 'owner' && [
            item('Yes, make owner', () => run({ item: 'hand_over' }, close), true),
            item('Cancel', () => { stage.value = 'main' })
          ]}
        </div>
      )}
    </Menu>
  )
}
