import type { Signal } from '@preact/signals'
import { EMAIL_NOTIFICATION_CHOICES, type EmailNotificationChoice } from '@webchat/shared'
import { ModalForm } from './modal-form.js'

const LABELS: Record<EmailNotificationChoice, string> = {
  all: 'Direct messages and mentions',
  direct: 'Direct messages only',
  off: 'No email'
}

interface Props {
  opened: Signal<boolean>
  /** The user's choice now, from the server. */
  load (): Promise<EmailNotificationChoice>
  /** Resolves with what went wrong, if anything. */
  save (choice: EmailNotificationChoice): Promise<string | undefined>
}

/** Which mails I get while away; the choices stay disabled until the server says which is mine. */
export function MailDialog ({ opened, load, save }: Props) {
  const choices = (form: HTMLFormElement): HTMLInputElement[] => [...form.querySelectorAll<HTMLInputElement>('input[name="email"]')]
  return (
    <ModalForm
      opened={opened} id='mail' title='Email while you are away' submitLabel='Save'
      intro='When someone writes to you directly or mentions you while you are away, you get one email a few minutes later listing what you have not read by then.'
      reset={(form) => {
        for (const input of choices(form)) {
          input.checked = false
          input.disabled = true
        }
        // Unknown (the server did not say): nothing is shown as chosen, so that nothing is saved unasked.
        void load().catch(() => null).then((choice) => {
          for (const input of choices(form)) {
            input.disabled = false
            input.checked = input.value === choice
          }
        })
      }}
      submit={(form) => {
        const picked = choices(form).find((input) => input.checked)?.value as EmailNotificationChoice | undefined
        if (picked === undefined) return 'Pick one.'
        return save(picked)
      }}
    >
      <fieldset class='stack choices'>
        <legend class='sr-only'>Email me</legend>
        {EMAIL_NOTIFICATION_CHOICES.map((choice) => (
          <label key={choice} class='choice'>
            <input type='radio' name='email' value={choice} /> {LABELS[choice]}
          </label>
        ))}
      </fieldset>
    </ModalForm>
  )
}
