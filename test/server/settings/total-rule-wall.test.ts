import { describe, expect, it } from 'vitest'
import type { Snapshot } from '../../../shared/protocol.ts'
import type { StoredSettings } from '../../../shared/settings.ts'
import { caller } from '../../helpers/api.ts'
import { newPrefix, serversPerTest } from '../../helpers/test-server.ts'

// The wall's Total tile beside the queues it sums: judged by their rule when they share
// one, else by the default row's. On a real server against real Redis.

const startServer = serversPerTest()

const DAY = new Date().toISOString().slice(0, 10)
const NOW = Date.parse(`${DAY}T11:00:00Z`)
const at = (hms: string) => Date.parse(`${DAY}T${hms}Z`) / 1000

function visit(queue: string, id: string, hms: string, waitS: number, abandon = false) {
  const enter = `${at(hms)}|${id}|${queue}|NONE|ENTERQUEUE||1|1`
  const left = at(hms) + waitS
  return abandon
    ? [enter, `${left}|${id}|${queue}|NONE|ABANDON|1|1|${waitS}`]
    : [enter, `${left}|${id}|${queue}|PJSIP/1001|CONNECT|${waitS}|${id}.b|1`]
}

/**
 * Sales, T = 20 s: s1–s3 answered after 5 s (met), s4–s5 abandoned after 5 s (within T),
 * s6–s9 answered after 30 s (missed): offered 9, met 3, abandoned within T 2.
 * V1: 3 ÷ (9 − 2) = 3/7 ≈ 42.9 %; V2: 3/9 ≈ 33.3 %. Support: t1 answered after 5 s.
 */
const DAY_FILE = [
  ...visit('Sales', 's1', '10:00:00', 5),
  ...visit('Sales', 's2', '10:01:00', 5),
  ...visit('Sales', 's3', '10:02:00', 5),
  ...visit('Sales', 's4', '10:03:00', 5, true),
  ...visit('Sales', 's5', '10:04:00', 5, true),
  ...visit('Sales', 's6', '10:05:00', 30),
  ...visit('Sales', 's7', '10:06:00', 30),
  ...visit('Sales', 's8', '10:07:00', 30),
  ...visit('Sales', 's9', '10:08:00', 30),
  ...visit('Support', 't1', '10:10:00', 5),
].join('\n')

describe('the Total tile', () => {
  it("of a wall of Sales on V1 shows Sales's 3/7; of both queues the default V2's", async () => {
    const server = await startServer({ CALLBOARD_THRESHOLD: '20' }, newPrefix(), {
      now: () => NOW,
    })
    const api = caller(server.url)
    const { body: settings } = await api<StoredSettings>('GET', '/api/v1/settings')
    const sales = { ...settings.defaults, variant: 'V1' }
    const put = await api('PUT', '/api/v1/settings', { ...settings, queues: { Sales: sales } })
    expect(put.status).toBe(200)
    expect((await api('POST', '/api/v1/events/asterisk', DAY_FILE)).status).toBe(200)

    const wall = async (query: string) =>
      (await api<Snapshot>('GET', `/api/v1/snapshot?window=today${query}`)).body
    await expect.poll(async () => (await wall('')).total.offered, { timeout: 5000 }).toBe(10)

    const salesWall = await wall('&queues=Sales')
    expect(salesWall.queues.Sales?.serviceLevel).toBeCloseTo(3 / 7, 10)
    expect(salesWall.total).toMatchObject({ serviceLevelMet: 3, serviceLevelOffered: 7 })
    expect(salesWall.total).toMatchObject({ variant: 'V1', threshold: 20 })

    // Sales V1, Support V2: the default row's V2, (3 + 1) ÷ (9 + 1) = 40 %.
    const both = await wall('')
    expect(both.total).toMatchObject({ serviceLevelMet: 4, serviceLevelOffered: 10 })
    expect(both.total.variant).toBe('V2')
  })
})
