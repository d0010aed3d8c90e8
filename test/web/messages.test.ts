import { describe, expect, it } from 'vitest'
import { parseServerMessage } from '../../web/lib/messages.ts'

const snapshot = {
  type: 'snapshot',
  asOf: 1,
  window: 'today',
  windowStart: 0,
  windowLabel: 'since 00:00 UTC',
  streamId: '0-0',
  threshold: 20,
  target: 0.8,
  tz: 'UTC',
  queues: {},
  total: {},
}

describe('parseServerMessage', () => {
  it('accepts snapshots, updates and heartbeats', () => {
    expect(parseServerMessage(JSON.stringify(snapshot))?.type).toBe('snapshot')
    expect(parseServerMessage(JSON.stringify({ ...snapshot, type: 'update' }))?.type).toBe('update')
    expect(parseServerMessage('{"type":"heartbeat","asOf":5,"streamId":"1-0"}')?.type).toBe(
      'heartbeat',
    )
  })

  it('drops frames that are not server messages', () => {
    expect(parseServerMessage('not json')).toBeNull()
    expect(parseServerMessage('{"type":"snapshot","asOf":1}')).toBeNull()
    expect(parseServerMessage('{"type":"hello","asOf":1}')).toBeNull()
    expect(parseServerMessage(new ArrayBuffer(4))).toBeNull()
  })
})
