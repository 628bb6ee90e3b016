import type { ChatMessage } from '@webchat/shared'
import { QUICK_REACTIONS } from '../../model/message-actions.js'
import type { MessageActions } from '../../store/message-actions.js'
import { Icon } from '../icon.js'
import { Menu } from '../menu.js'

interface Props {
  message: ChatMessage
  actions: MessageActions
  editable: boolean
  deletable: boolean
}

const focusComposer = (): void => document.getElementById('composer-input')?.focus()

/** What I can do to a message, shown while it is hovered or has focus: reply, react, edit, delete. */
export function MessageToolbar ({ message: m, actions, editable, deletable }: Props) {
  const who = m.user.name
  return (
    <div class='msg-actions' role='toolbar' aria-label={`Message from ${who}`}>
      <button class='btn btn-icon' type='button' aria-label='Reply' title='Reply' onClick={() => { actions.replyTo(m); focusComposer() }}><Icon name='reply' /></button>
      <Menu label='Add reaction' face={<Icon name='smile' />} class='reaction-picker'>
        {(close) => QUICK_REACTIONS.map((emoji) => (
          <button key={emoji} class='menu-item emoji-choice' type='button' role='menuitem' aria-label={`React with ${emoji}`} title={emoji} onClick={() => { close(); void actions.toggleReaction(m.id, emoji) }}>{emoji}</button>
        ))}
      </Menu>
      {editable ? <button class='btn btn-icon' type='button' aria-label='Edit' title='Edit' onClick={() => actions.startEdit(m.id)}><Icon name='edit' /></button> : null}
      {deletable
        ? (
          <Menu label='Delete' face={<Icon name='trash' />} class='delete-menu' note='Delete this message for everyone?'>
            {(close) => [
              <button key='yes' class='menu-item danger' type='button' role='menuitem' onClick={() => { close(); void actions.deleteMessage(m.id) }}>Delete</button>,
              <button key='no' class='menu-item' type='button' role='menuitem' onClick={close}>Cancel</button>
            ]}
          </Menu>
          )
        : null}
    </div>
  )
}
