import { describe, expect, it } from 'vitest'
import { parseQueueLog } from '../../../server/adapters/queue-log.ts'
import { InputError } from '../../../server/errors.ts'

const GOOD = '1710118860|1710118858.11|sales|NONE|ENTERQUEUE||13800138000|1'

/** The InputError that parsing `text` throws, or a failed expectation when none is thrown. */
function errorOf(text: string): InputError {
  try {
    parseQueueLog(text)
  } catch (error) {
    if (error instanceof InputError) return error
    throw error
  }

  throw new Error('expected an InputError, nothing was thrown')
}

describe('parseQueueLog refusing bad lines', () => {
  it('refuses a line with fewer than five fields, naming the first missing one', () => {
    const error = errorOf(`${GOOD}\n1710118870|1710118858.11|sales`)

    expect(error).toMatchObject({ line: 2, field: 'agent' })
    expect(error.message).toBe(
      'expected at least 5 fields (epoch|uniqueid|queue|agent|EVENT), got 3',
    )
  })

  it.each([
    ['-1710118860', '"-1710118860"'],
    ['abc', '"abc"'],
    ['1e9', '"1e9"'],
    ['', 'nothing'],
  ])('refuses the epoch %j', (epoch, seen) => {
    const error = errorOf(`${epoch}|NONE|NONE|NONE|QUEUESTART|`)

    expect(error).toMatchObject({ line: 1, field: 'epoch' })
    expect(error.message).toBe(`expected a Unix time in seconds, got ${seen}`)
  })

  it.each(['connect', '', 'ENTER QUEUE', '1CONNECT'])('refuses the event name %j', (name) => {
    const error = errorOf(`1710118860|1.1|sales|NONE|${name}|`)

    expect(error).toMatchObject({ line: 1, field: 'event' })
    expect(error.message).toMatch(/^expected an event name in capitals such as CONNECT, got /)
  })

  it.each([
    ['1710118880|1.1|NONE|Agent/1|CONNECT|5|2.2|3', 'queue', 'expected the queue name, got "NONE"'],
    ['1710118880|1.1||Agent/1|CONNECT|5|2.2|3', 'queue', 'expected the queue name, got nothing'],
    [
      '1710118880||sales|NONE|ABANDON|1|1|20',
      'uniqueid',
      "expected the caller channel's unique id, got nothing",
    ],
    [
      '1710118880|NONE|sales|NONE|ENTERQUEUE||555|1',
      'uniqueid',
      'expected the caller channel\'s unique id, got "NONE"',
    ],
    [
      '1710118880|1.1|sales|NONE|CONNECT|5|2.2|3',
      'agent',
      'expected the queue member who took the call, got "NONE"',
    ],
  ])('refuses a call event without its ids: %s', (line, field, message) => {
    const error = errorOf(line)

    expect(error).toMatchObject({ line: 1, field, message })
  })

  it.each([
    ['CONNECT|abc|2.2|3', 'holdtime', '"abc"'],
    ['CONNECT|5|2.2|1.5', 'ringtime', '"1.5"'],
    ['ABANDON|1|1', 'waittime', 'nothing'],
    ['EXITWITHTIMEOUT|1|1|-3', 'waittime', '"-3"'],
    ['EXITWITHKEY|5|1|1|', 'waittime', 'nothing'],
    ['EXITEMPTY|1|1|ten', 'waittime', '"ten"'],
    ['COMPLETECALLER|5|4.5|1', 'calltime', '"4.5"'],
    ['COMPLETEAGENT|5', 'calltime', 'nothing'],
    ['TRANSFER|2001|default|5| 60|1', 'calltime', '" 60"'],
    ['BLINDTRANSFER|2001|default|5', 'calltime', 'nothing'],
    ['ATTENDEDTRANSFER|BRIDGE|2.2|5|x|1', 'calltime', '"x"'],
  ])('refuses %s for its %s', (rest, field, seen) => {
    const error = errorOf(`1710118880|1.1|sales|Agent/1|${rest}`)

    expect(error).toMatchObject({ line: 1, field })
    expect(error.message).toBe(`expected a whole number of seconds, got ${seen}`)
  })

  it('turns a schema failure into an error naming the line and the event path', () => {
    const eightDays = 8 * 24 * 3600
    const error = errorOf(`${GOOD}\n1710118880|1.1|sales|Agent/1|COMPLETEAGENT|5|${eightDays}|1`)

    expect(error).toMatchObject({ line: 2, field: 'talkMs' })
    // Seven days of milliseconds, 7 × 24 × 3600 × 1000, is the most a talk time may be.
    expect(error.message).toBe('expected at most 604800000, got 691200000')
  })

  it('refuses a queue name longer than the event model allows', () => {
    const error = errorOf(`1710118860|1.1|${'q'.repeat(201)}|NONE|ENTERQUEUE||555|1`)

    expect(error).toMatchObject({ line: 1, field: 'queue' })
  })

  it('throws for one bad line in the middle and returns nothing of the rest', () => {
    const text = [GOOD, '', GOOD, '1710118880|1.1|sales|Agent/1|CONNECT|soon|2.2|3', GOOD].join(
      '\n',
    )
    let result: unknown

    expect(() => {
      result = parseQueueLog(text)
    }).toThrow(InputError)
    expect(result).toBeUndefined()
    expect(errorOf(text).detail).toBe(
      'line 4, field holdtime: expected a whole number of seconds, got "soon"',
    )
  })

  it('counts lines after a CRLF body and blank lines correctly', () => {
    const error = errorOf(`${GOOD}\r\n\r\n${GOOD}\r\nnope|1.1|sales|NONE|ABANDON|1|1|2\r\n`)

    expect(error).toMatchObject({ line: 4, field: 'epoch' })
  })
})

describe('parseQueueLog accepting what it does not know', () => {
  it('keeps an unknown, well-formed event as other with NONE ids left out', () => {
    const [event] = parseQueueLog('1710118860|NONE|NONE|NONE|MY_CUSTOM_EVENT2|a|b||c')

    expect(event).toStrictEqual({
      type: 'other',
      ts: 1710118860000,
      name: 'MY_CUSTOM_EVENT2',
      data: ['a', 'b', '', 'c'],
    })
  })

  it('does not check ids or numbers of events that are not part of a call', () => {
    const text = [
      '1710118860|NONE|NONE|Agent/1|RINGNOANSWER|soon',
      '1710118861|REALTIME|||AGENTDUMP',
      '1710118862|NONE|sales|PJSIP/1001|PAUSE||Lunch',
    ].join('\n')

    expect(parseQueueLog(text).map((event) => event.type)).toEqual(['other', 'other', 'other'])
  })
})

describe('parseQueueLog time bounds', () => {
  it('refuses a millisecond epoch where seconds belong, naming the line', () => {
    const body = '1796060000|a|Q|NONE|ENTERQUEUE||1|1\n1796060000000|b|Q|NONE|ENTERQUEUE||1|1'
    const error = errorOf(body)
    expect(error).toMatchObject({ line: 2, field: 'epoch' })
    expect(error.detail).toContain('got "1796060000000" (milliseconds where seconds belong?)')
  })
})
