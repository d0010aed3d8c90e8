import { describe, expect, it } from 'vitest'
import { parseBoardParams, socketUrl } from '../../web/lib/params.ts'

describe('parseBoardParams', () => {
  it('defaults to today, all queues and the total', () => {
    expect(parseBoardParams('')).toEqual({ window: 'today', queues: null, showTotal: true })
  })

  it('reads window, queue list and total', () => {
    const params = parseBoardParams(
      '?window=30m&queues=Sales,%E6%8A%A5%E4%BF%AE%E7%83%AD%E7%BA%BF&total=0',
    )
    expect(params).toEqual({ window: '30m', queues: ['Sales', '报修热线'], showTotal: false })
  })

  it('falls back to today for an unknown window', () => {
    expect(parseBoardParams('?window=week').window).toBe('today')
  })

  it('trims and deduplicates names, and treats an empty list as all queues', () => {
    expect(parseBoardParams('?queues= A , B,,A').queues).toEqual(['A', 'B'])
    expect(parseBoardParams('?queues=,').queues).toBeNull()
  })
})

describe('socketUrl', () => {
  it('follows the page protocol and host', () => {
    expect(socketUrl('http:', 'wall.local:8300', 'today')).toBe(
      'ws://wall.local:8300/ws?window=today',
    )
    expect(socketUrl('https:', 'cb.example', '15m')).toBe('wss://cb.example/ws?window=15m')
    expect(socketUrl('http:', 'h', 'today', ['Sales', '报修热线'])).toBe(
      'ws://h/ws?window=today&queues=Sales%2C%E6%8A%A5%E4%BF%AE%E7%83%AD%E7%BA%BF',
    )
  })
})
