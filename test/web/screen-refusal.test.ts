import { describe, expect, it } from 'vitest'
import { placeRefusal, placeRefusals } from '../../web/lib/screen-refusal.ts'

describe('a refused screen save, placed in the editor', () => {
  it('points at a screen-wide field and says what was wrong once', () => {
    // The server's words as sent for a rotation of 2 s.
    const error = 'field rotationSeconds: Too small: expected number to be >=5'
    expect(placeRefusal('rotationSeconds', error)).toEqual({
      field: 'rotationSeconds',
      place: { page: null, control: 'rotationSeconds' },
      message: 'Too small: expected number to be >=5',
    })
  })

  it('points at one page’s control, also for an item of its lists', () => {
    const error = 'field pages.1.queues.0: expected a queue name'
    expect(placeRefusal('pages.1.queues.0', error)).toEqual({
      field: 'pages.1.queues.0',
      place: { page: 1, control: 'queues' },
      message: 'expected a queue name',
    })
    expect(placeRefusal('pages.0.window', 'pages.0.window: unknown window').message).toBe(
      'unknown window',
    )
  })

  it('points nowhere for a field the editor has no control for, keeping the words', () => {
    expect(placeRefusal('revision', 'changed meanwhile by ana')).toEqual({
      field: 'revision',
      place: null,
      message: 'changed meanwhile by ana',
    })
    expect(placeRefusal('pages', 'field pages: at most 20 pages').place).toBeNull()
    expect(placeRefusal(undefined, 'HTTP 500')).toEqual({
      field: undefined,
      place: null,
      message: 'HTTP 500',
    })
  })

  it('places every wrong field the server listed, else its one message', () => {
    const both = placeRefusals({
      error: 'field rotationSeconds: expected 5 to 3600 seconds',
      field: 'rotationSeconds',
      problems: [
        { field: 'rotationSeconds', message: 'expected 5 to 3600 seconds' },
        { field: 'pages.0.window', message: 'expected one of 15m, 30m, 60m, today' },
      ],
    })
    expect(both.map((one) => one.place)).toEqual([
      { page: null, control: 'rotationSeconds' },
      { page: 0, control: 'window' },
    ])
    expect(both[1]?.message).toBe('expected one of 15m, 30m, 60m, today')

    const one = placeRefusals({ error: 'field theme: expected dark', field: 'theme' })
    expect(one).toEqual([
      { field: 'theme', place: { page: null, control: 'theme' }, message: 'expected dark' },
    ])
  })
})
