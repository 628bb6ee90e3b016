/**
 * A tiny view layer: elements are made with `h()`, and every piece of text becomes a Text node
 * (never HTML). Attributes go through setAttribute, except `on*` handlers and `style`, which are
 * refused so that nothing can smuggle script or inline styles past the Content Security Policy.
 */
export type Child = Node | string | number | null | undefined | false
type Handlers = { [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void }

export interface Props {
  class?: string
  attrs?: Record<string, string | number | boolean | undefined>
  on?: Handlers
}

export function h<K extends keyof HTMLElementTagNameMap> (tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  if (props.class !== undefined) el.className = props.class
  for (const [name, value] of Object.entries(props.attrs ?? {})) setAttr(el, name, value)
  for (const [type, handler] of Object.entries(props.on ?? {})) el.addEventListener(type, handler as EventListener)
  append(el, ...children)
  return el
}

export function setAttr (el: Element, name: string, value: string | number | boolean | undefined): void {
  if (/^on/i.test(name) || name.toLowerCase() === 'style') throw new Error(`refusing attribute ${name}`)
  if (value === undefined || value === false) el.removeAttribute(name)
  else el.setAttribute(name, value === true ? '' : String(value))
}

export function append (parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child)
  }
}

/** Replaces all children. */
export function replace (parent: Element, ...children: Child[]): void {
  parent.replaceChildren()
  append(parent, ...children)
}

/** Sets text only when it changed (keeps screen readers and selection calm). */
export function setText (el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text
}

/** An inline SVG icon from a path; drawn with currentColor. */
export function icon (path: string, label?: string): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg'
  const svg = document.createElementNS(ns, 'svg')
  svg.setAttribute('viewBox', '0 0 24 24')
  svg.setAttribute('class', 'icon')
  if (label === undefined) svg.setAttribute('aria-hidden', 'true')
  else {
    svg.setAttribute('role', 'img')
    svg.setAttribute('aria-label', label)
  }
  const p = document.createElementNS(ns, 'path')
  p.setAttribute('d', path)
  svg.appendChild(p)
  return svg
}

export const ICONS = {
  menu: 'M4 6h16M4 12h16M4 18h16',
  people: 'M16 19v-1a4 4 0 0 0-4-4H7a4 4 0 0 0-4 4v1M9.5 10a3 3 0 1 0 0-6 3 3 0 0 0 0 6M21 19v-1a4 4 0 0 0-3-3.9M15.5 4.1a3 3 0 0 1 0 5.8',
  send: 'M4 12l16-8-6 16-2.5-6.5L4 12z',
  close: 'M6 6l12 12M18 6L6 18',
  hash: 'M9 4L7 20M17 4l-2 16M4 9h16M3 15h16',
  back: 'M15 6l-6 6 6 6',
  plus: 'M12 5v14M5 12h14'
} as const
