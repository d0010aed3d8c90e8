/**
 * A record's own entry for a key, never one inherited from Object.prototype: records keyed
 * by queue names must not answer "constructor" or "toString" with a built-in function.
 */
export function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined
}
