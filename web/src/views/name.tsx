import { Fragment } from 'preact'
import { fullName, type Person } from '../model/identity.js'
import { BidiText } from './bidi-text.js'

interface Props {
  person: Person
  /** The tag to show after the name (it is always in the hover text). */
  tag?: string | undefined
  class?: string
}

/**
 * A person's name. In a <bdi>, so that a name written right to left cannot reorder the text around
 * it (a time, other names, "(you)"); direction controls in it (names posted by backends are not
 * checked) are shown as markers, not obeyed.
 */
export function Name ({ person, tag, class: className }: Props) {
  return (
    <span class={className} title={fullName(person)}>
      <bdi><BidiText text={person.name} /></bdi>
      {tag === undefined ? null : <span class='name-tag'>{` #${tag}`}</span>}
    </span>
  )
}

/** Names in a row, "Ana, Ben", each isolated. */
export function NameList ({ people, tagOf }: { people: readonly Person[], tagOf (person: Person): string | undefined }) {
  return <>{people.map((p, i) => <Fragment key={p.id}>{i > 0 ? ', ' : null}<Name person={p} tag={tagOf(p)} /></Fragment>)}</>
}
