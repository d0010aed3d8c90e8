import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { AlertLayerSchema, parseAlertDocument } from '../../../server/alerts/alert-rules.ts'
import { buildRuleBook, queueRules } from '../../../server/alerts/rule-book.ts'
import { loadAlertFile } from '../../../server/alerts/rule-file.ts'
import { InputError } from '../../../server/errors.ts'

const dir = mkdtempSync(join(tmpdir(), 'callboard-rules-'))

function file(name: string, content: string): string {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}

describe('the rule book', () => {
  it('ships 80/20: below the target over 30 min, for 60 s, from 10 calls, clear at +2', () => {
    const book = buildRuleBook(80, {}, {})
    expect(book.defaults.serviceLevel).toEqual({
      enabled: true,
      window: '30m',
      fire: 80,
      clear: 82,
      minVolume: 10,
      pendingSeconds: 60,
      severity: 'critical',
    })
    expect(book.allQueues.serviceLevel.enabled).toBe(false)
    expect(book.repeatMs).toBe(30 * 60_000)
    expect(buildRuleBook(90, {}, {}).defaults.serviceLevel).toMatchObject({ fire: 90, clear: 92 })
  })

  it('lays the API over the file, and a queue’s own rules over either’s defaults', () => {
    const book = buildRuleBook(
      80,
      { queues: { 报修热线: { serviceLevel: { fire: 85, clear: 88 } } } },
      { defaults: { serviceLevel: { fire: 75, clear: 78, pendingSeconds: 30 } } },
    )
    expect(book.defaults.serviceLevel).toMatchObject({ fire: 75, clear: 78, pendingSeconds: 30 })
    // The file's queue rule stands against the API's defaults; the rest comes from them.
    expect(queueRules(book, '报修热线').serviceLevel).toMatchObject({
      fire: 85,
      clear: 88,
      pendingSeconds: 30,
    })
    expect(queueRules(book, 'Sales').serviceLevel.fire).toBe(75)
  })

  it('names the field of a value of the wrong kind', () => {
    const bad = { queues: { Sales: { abandonRate: { severity: 'loud' } } } }
    expect(() => parseAlertDocument(AlertLayerSchema, bad)).toThrow(InputError)
    try {
      parseAlertDocument(AlertLayerSchema, bad)
    } catch (error) {
      expect((error as InputError).field).toBe('queues.Sales.abandonRate.severity')
    }
  })

  it('refuses a clear level on the firing side, naming the field', () => {
    expect(() =>
      buildRuleBook(80, {}, { queues: { VIP: { callsWaiting: { clear: 9 } } } }),
    ).toThrow('clear 9 must be below fire 5')
    expect(() => buildRuleBook(80, {}, { feedSilent: { fire: 60, clear: 60 } })).toThrow(
      'must be below fire 60 s',
    )
  })
})

describe('the rules file', () => {
  it('is optional', () => {
    expect(loadAlertFile(undefined, 80)).toEqual({})
  })

  it('stops start-up naming the file and the field', () => {
    const path = file('typo.json', '{"defaults": {"serviceLevel": {"fire": 80, "pending": 5}}}')
    expect(() => loadAlertFile(path, 80)).toThrow(
      `CALLBOARD_ALERTS_FILE=${path}: field defaults.serviceLevel.pending: unknown field "pending"`,
    )
    const broken = file('broken.json', '{"defaults": ')
    expect(() => loadAlertFile(broken, 80)).toThrow(
      `CALLBOARD_ALERTS_FILE=${broken}: not valid JSON`,
    )
    expect(() => loadAlertFile(join(dir, 'missing.json'), 80)).toThrow('cannot read it')
  })

  it('takes webhooks, with json and warning as defaults', () => {
    const path = file('hooks.json', '{"webhooks": [{"url": "https://example.com/hook"}]}')
    expect(loadAlertFile(path, 80).webhooks).toEqual([
      { url: 'https://example.com/hook', format: 'json', minSeverity: 'warning' },
    ])
    const ftp = file('ftp.json', '{"webhooks": [{"url": "ftp://example.com/"}]}')
    expect(() => loadAlertFile(ftp, 80)).toThrow('field webhooks.0.url')
  })
})
