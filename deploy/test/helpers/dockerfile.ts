import { readFileSync } from 'node:fs'

export interface Instruction { op: string, args: string }
export interface Stage { name: string | undefined, from: string, instructions: Instruction[] }

/** The stages of a Dockerfile: instructions joined across `\` continuations, comments dropped. */
export function parseDockerfile (path: string): Stage[] {
  const logical: string[] = []
  let current = ''
  for (const raw of readFileSync(path, 'utf8').split('\n')) {
    const line = raw.trimEnd()
    if (current === '' && (line.trim() === '' || line.trimStart().startsWith('#'))) continue
    if (line.endsWith('\\')) {
      current += line.slice(0, -1) + ' '
      continue
    }
    logical.push((current + line).trim())
    current = ''
  }
  const stages: Stage[] = []
  for (const line of logical) {
    const [op = '', ...rest] = line.split(/\s+/)
    const args = rest.join(' ')
    if (op.toUpperCase() === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args)
      stages.push({ from: m?.[1] ?? args, name: m?.[2], instructions: [] })
    } else {
      const stage = stages[stages.length - 1]
      if (stage === undefined) throw new Error(`${path}: ${op} before FROM`)
      stage.instructions.push({ op: op.toUpperCase(), args })
    }
  }
  return stages
}

/** A stage and the stages it is built FROM, base first. */
export function lineage (stages: Stage[], stage: Stage): Stage[] {
  const parent = stages.find((s) => s.name !== undefined && s.name === stage.from)
  return parent === undefined ? [stage] : [...lineage(stages, parent), stage]
}

export interface Copy { from: string | undefined, sources: string[], dest: string }

/** A COPY instruction's parts (`--from=`, sources, destination; `--chown` and such ignored). */
export function parseCopy (args: string): Copy {
  const words = args.split(/\s+/)
  let from: string | undefined
  const rest: string[] = []
  for (const word of words) {
    if (word.startsWith('--from=')) from = word.slice('--from='.length)
    else if (!word.startsWith('--')) rest.push(word)
  }
  const dest = rest.pop()
  if (dest === undefined || rest.length === 0) throw new Error(`COPY ${args}: no source or destination`)
  return { from, sources: rest, dest }
}

/** `ENV A=1 B=2` pairs. */
export function parseEnv (args: string): Record<string, string> {
  return Object.fromEntries(args.split(/\s+/).map((pair) => pair.split('=')).map(([k, ...v]) => [k!, v.join('=')]))
}
