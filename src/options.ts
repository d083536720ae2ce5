import { invalidArg } from './errors'
import { describe } from './input'

/** Checks that `options` is an options object (or absent) and returns it. */
export function optionsObject<T extends object>(options: T | undefined): Partial<T> {
  if (options === undefined || options === null) return {}
  if (typeof options !== 'object') throw invalidArg(`options must be an object; received ${describe(options)}`)
  return options
}

export function booleanOption(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback
  if (typeof value !== 'boolean') throw invalidArg(`options.${name} must be a boolean; received ${describe(value)}`)
  return value
}

/** A number, whose bounds native code checks. */
export function numberOption(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number') throw invalidArg(`options.${name} must be a number; received ${describe(value)}`)
  return value
}

export function integerOption(value: unknown, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidArg(`options.${name} must be an integer from ${min} to ${max}; received ${describe(value)}`)
  }
  return value
}
