/**
 * fast-check arbitraries that damage real input the way senders and networks do: a field
 * replaced, dropped or doubled, a number out of range, a stray quote, a control character,
 * a line cut short. The fuzz tests feed them to the parsers and to the ingest endpoints.
 */
import { readFileSync } from 'node:fs'
import fc from 'fast-check'

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')

/** Real queue_log lines: the sample and the Shanghai midnight log. */
export const QUEUE_LOG_LINES = [
  ...fixture('queue-log-sample.txt'),
  ...fixture('shanghai-midnight.queue_log'),
]

const csv = fixture('pbxware-queue-log.csv')
/** The PBXware export's header, and a few hundred of its rows. */
export const CSV_HEADER = csv[0] ?? ''
export const CSV_ROWS = csv.slice(1, 400)

/** Values that break parsers: numbers out of range, in the wrong unit, not numbers at all. */
const nasty = fc.oneof(
  fc.constantFrom('', ' ', '-1', '0', '1e309', 'NaN', '1.5', '0x10', '９', '\u0000', '"', "'"),
  fc.constantFrom('99999999999999999999', '-0', '1796053200000', '946684799', '4102444801'),
  fc.constantFrom('\uFEFF', '\r', '\u2028', '💥', '报修热线', 'PJSIP/1001', 'NONE', '|', ','),
  fc.string({ maxLength: 12 }),
  fc.integer().map(String),
)

/** One line cut at separator `sep` and damaged once or several times. */
export function damagedLine(lines: readonly string[], sep: string): fc.Arbitrary<string> {
  const damage = fc.oneof(
    fc.record({ kind: fc.constant('replace'), at: fc.nat(), value: nasty }),
    fc.record({ kind: fc.constant('drop'), at: fc.nat(), value: fc.constant('') }),
    fc.record({ kind: fc.constant('double'), at: fc.nat(), value: fc.constant('') }),
    fc.record({ kind: fc.constant('insert'), at: fc.nat(), value: nasty }),
    fc.record({ kind: fc.constant('cut'), at: fc.nat(), value: fc.constant('') }),
  )

  return fc
    .tuple(fc.constantFrom(...lines), fc.array(damage, { minLength: 1, maxLength: 4 }))
    .map(([line, damages]) => {
      let fields = line.split(sep)
      let text = line
      for (const { kind, at, value } of damages) {
        const i = at % Math.max(1, fields.length)
        if (kind === 'replace') fields[i] = value
        if (kind === 'drop') fields.splice(i, 1)
        if (kind === 'double') fields.splice(i, 0, fields[i] ?? '')
        if (kind === 'insert') fields[i] = `${fields[i] ?? ''}${value}`
        text = fields.join(sep)
        if (kind === 'cut') {
          text = text.slice(0, at % (text.length + 1))
          fields = text.split(sep)
        }
      }
      return text
    })
}

/** A body of real and damaged lines, joined by LF or CRLF. */
export function bodyOf(line: fc.Arbitrary<string>, real: readonly string[], header = '') {
  const lines = fc.array(fc.oneof(line, fc.constantFrom(...real)), { minLength: 1, maxLength: 30 })
  return fc
    .tuple(lines, fc.constantFrom('\n', '\r\n'))
    .map(([chosen, eol]) => (header === '' ? '' : header + eol) + chosen.join(eol))
}

/** A canonical event as JSON with a field damaged: replaced, dropped, added, retyped. */
export function damagedEvent(events: readonly object[]): fc.Arbitrary<unknown> {
  const value = fc.oneof(
    nasty,
    fc.constantFrom(null, true, -1, 1e21, 1.5, Number.MAX_SAFE_INTEGER, 946684799999),
    fc.jsonValue({ maxDepth: 2 }),
  )
  return fc
    .tuple(fc.constantFrom(...events), fc.nat(), value, fc.boolean())
    .map(([event, at, replacement, drop]) => {
      const copy: Record<string, unknown> = { ...event }
      const keys = [...Object.keys(copy), 'extra']
      const key = keys[at % keys.length] ?? 'extra'
      if (drop) delete copy[key]
      else copy[key] = replacement
      return copy
    })
}
