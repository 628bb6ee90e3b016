import type { Static, TObject, TSchema } from 'typebox'
import Value from 'typebox/value'

/** Where settings come from: variables by name (strings from the environment, typed values from tests). */
export type Env = Record<string, unknown>

/** A setting's schema: its type, plus `env`, the variable it is read from. */
type Setting = TSchema & { env: string, type?: unknown }

export class ConfigError extends Error {
  override name = 'ConfigError'
}

/** An environment string as the setting's type: comma-separated lists, yes/no booleans, integers. */
function fromString (setting: Setting, value: string): unknown {
  if (setting.type === 'array') return value.split(',').map((item) => item.trim()).filter((item) => item !== '')
  if (setting.type === 'boolean') return /^(1|true|yes|on)$/i.test(value) ? true : /^(0|false|no|off)$/i.test(value) ? false : value
  if (setting.type === 'integer') return /^-?[0-9]+$/.test(value) ? Number(value) : value
  return value
}

/**
 * The settings `schema` describes, each read from the variable its property names in `env`
 * (empty means unset), with the schema's defaults, then `dependent` ones (defaults that depend on
 * other settings, applied only where the variable is unset), validated against the schema. The
 * returned object's type is the schema's own. Throws ConfigError naming every variable at fault.
 */
export function loadSettings<T extends TObject> (
  schema: T,
  env: Env,
  dependent: (values: Record<string, unknown>) => Record<string, unknown> = () => ({})
): Static<T> {
  const settings = Object.entries(schema.properties) as Array<[string, Setting]>
  const given: Record<string, unknown> = {}
  for (const [key, setting] of settings) {
    const value = env[setting.env]
    if (value !== undefined && value !== '') given[key] = typeof value === 'string' ? fromString(setting, value) : value
  }
  const values = Value.Default(schema, { ...given }) as Record<string, unknown>
  for (const [key, value] of Object.entries(dependent(values))) if (!(key in given)) values[key] = value
  const errors = Value.Errors(schema, values)
  if (errors.length > 0) {
    const variable = (key: string): string => settings.find(([name]) => name === key)?.[1].env ?? key
    const faults = errors.map((e) => {
      const key = e.instancePath.split('/')[1]
      if (key !== undefined) return `${variable(key)} ${e.message}`
      const missing = (e.params as { requiredProperties?: string[] }).requiredProperties ?? []
      return `${missing.map(variable).join(', ')} must be set`
    })
    throw new ConfigError(`invalid configuration: ${faults.join('; ')}`)
  }
  return values as Static<T>
}
