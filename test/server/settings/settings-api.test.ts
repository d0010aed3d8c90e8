/**
 * The settings API against a real server and Redis: who may read and change them, what a
 * wrong document is told, the audit trail, and a change reaching a second server process
 * through the event stream, counted from the next event on.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { Figures } from '../../../shared/figures.ts'
import type { Snapshot } from '../../../shared/protocol.ts'
import type { StoredSettings } from '../../../shared/settings.ts'
import { caller, makeToken } from '../../helpers/api.ts'
import { ServerProcess } from '../../helpers/server-process.ts'
import { ADMIN_TOKEN, post, redisUrl, serversPerTest, withAuth } from '../../helpers/test-server.ts'

const startServer = serversPerTest()
const processes: ServerProcess[] = []
afterEach(async () => {
  for (const child of processes.splice(0)) await child.stop()
})

interface AuditBody {
  entries: {
    version: number
    at: number
    by: { name: string; role: string }
    changes: { field: string; before: unknown; after: unknown }[]
  }[]
}

/** The environment's settings as the defaults, and one queue of its own. */
function withSupport(settings: StoredSettings, row: Partial<StoredSettings['defaults']>) {
  const { version: _version, ...rest } = settings
  return { ...rest, queues: { Support: { ...settings.defaults, ...row } } }
}

/** Two calls of Support, `waitS` each, one a minute apart, answered. */
function calls(ids: string[], waitS: number): string {
  const start = Date.now() - 10 * 60_000
  return JSON.stringify(
    ids.flatMap((callId, i) => {
      const enteredAt = start + i * 60_000
      return [
        { type: 'call.enter', queue: 'Support', callId, ts: enteredAt },
        {
          type: 'call.answer',
          queue: 'Support',
          callId,
          ts: enteredAt + waitS * 1000,
          waitMs: waitS * 1000,
          agent: 'PJSIP/1001',
        },
      ]
    }),
  )
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 5000
  for (;;) {
    const value = await read()
    if (done(value) || Date.now() > deadline) return value
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe('settings API', () => {
  it('starts from the environment, lets an admin change it and a viewer only read it', async () => {
    const server = await startServer(
      withAuth({ CALLBOARD_TARGET: '85', CALLBOARD_THRESHOLD: '15' }),
    )
    const admin = caller(server.url, ADMIN_TOKEN)
    const viewer = caller(server.url, await makeToken(admin, { name: 'wall', role: 'viewer' }))
    const boss = caller(server.url, await makeToken(admin, { name: 'Li Na', role: 'admin' }))

    const first = await viewer<StoredSettings>('GET', '/api/v1/settings')
    expect(first.status).toBe(200)
    expect(first.body).toEqual({
      version: 0,
      site: { tz: 'UTC', dayStart: '00:00', intervalMinutes: 30 },
      defaults: { thresholdSeconds: 15, targetPercent: 85, variant: 'V2', shortAbandonSeconds: 0 },
      queues: {},
    })

    const change = withSupport(first.body, { targetPercent: 90, thresholdSeconds: 30 })
    expect((await viewer('PUT', '/api/v1/settings', change)).status).toBe(403)
    expect((await viewer('GET', '/api/v1/settings/audit')).status).toBe(403)

    const put = await boss<StoredSettings>('PUT', '/api/v1/settings', change)
    expect(put.status).toBe(200)
    expect(put.body.version).toBe(1)
    expect(put.body.queues.Support?.targetPercent).toBe(90)

    // A viewer limited to Sales does not see Support's row (nor learn of the queue).
    const spec = { name: 'Sales TV', role: 'viewer', queues: ['Sales'] }
    const sales = caller(server.url, await makeToken(admin, spec))
    const limited = await sales<StoredSettings>('GET', '/api/v1/settings')
    expect([limited.status, limited.body.version, limited.body.queues]).toEqual([200, 1, {}])

    const audit = await admin<AuditBody>('GET', '/api/v1/settings/audit')
    expect(audit.status).toBe(200)
    const [entry] = audit.body.entries
    expect(entry?.by).toEqual({ name: 'Li Na', role: 'admin' })
    expect(entry?.version).toBe(1)
    expect(entry?.at).toBeGreaterThan(Date.now() - 60_000)
    expect(entry?.changes).toEqual([
      {
        field: 'queues.Support',
        before: null,
        after: { thresholdSeconds: 30, targetPercent: 90, variant: 'V2', shortAbandonSeconds: 0 },
      },
    ])
  })

  it('refuses a wrong document whole, naming each wrong field', async () => {
    const server = await startServer()
    const anyone = caller(server.url)
    const current = (await anyone<StoredSettings>('GET', '/api/v1/settings')).body
    const { version: _version, ...settings } = current

    const wrong = await anyone<{ error: string; field: string; errors: { field: string }[] }>(
      'PUT',
      '/api/v1/settings',
      {
        ...settings,
        site: { ...settings.site, tz: 'Mars/Olympus', dayStart: '04:10' },
        defaults: { ...settings.defaults, targetPercent: 120, shortAbandonSeconds: 25 },
      },
    )
    expect(wrong.status).toBe(400)
    expect(wrong.body.field).toBe('site.tz')
    expect(wrong.body.error).toMatch(/^field site\.tz: expected an IANA zone/)
    // S of 25 s is not below T of 20 s either.
    expect(wrong.body.errors.map((problem) => problem.field).sort()).toEqual([
      'defaults.shortAbandonSeconds',
      'defaults.targetPercent',
      'site.dayStart',
      'site.tz',
    ])

    // S must stay below T: a row that is otherwise right is refused for it.
    const slow = await anyone<{ field: string }>('PUT', '/api/v1/settings', {
      ...settings,
      defaults: { ...settings.defaults, shortAbandonSeconds: 20 },
    })
    expect([slow.status, slow.body.field]).toEqual([400, 'defaults.shortAbandonSeconds'])

    const after = (await anyone<StoredSettings>('GET', '/api/v1/settings')).body
    expect(after).toEqual(current)

    // Nepal's +05:45 is on a quarter hour: figures' 15-minute buckets still fit it.
    const nepal = await anyone('PUT', '/api/v1/settings', {
      ...settings,
      site: { ...settings.site, tz: 'Asia/Kathmandu' },
    })
    expect(nepal.status).toBe(200)
  })

  it('says an emptied field is empty, and holds S to T only while T itself is right', async () => {
    const server = await startServer()
    const anyone = caller(server.url)
    const { version: _version, ...settings } = (
      await anyone<StoredSettings>('GET', '/api/v1/settings')
    ).body

    // A number input emptied sends null, a time input "": neither reads as "got null".
    const wrong = await anyone<{ errors: { field: string; message: string }[] }>(
      'PUT',
      '/api/v1/settings',
      {
        ...settings,
        site: { ...settings.site, dayStart: '' },
        defaults: { ...settings.defaults, thresholdSeconds: 0, shortAbandonSeconds: 0 },
        queues: { Sales: { ...settings.defaults, thresholdSeconds: null } },
      },
    )
    expect(wrong.status).toBe(400)
    // T = 0 is wrong; S = 0 is right and is not also said to be "not below T".
    expect(wrong.body.errors).toEqual([
      {
        field: 'site.dayStart',
        message: 'expected HH:MM on a quarter hour, e.g. 04:00, but the field is empty',
      },
      { field: 'defaults.thresholdSeconds', message: 'expected at least 1 s, got 0' },
      {
        field: 'queues.Sales.thresholdSeconds',
        message: 'expected seconds, a whole number, but the field is empty',
      },
    ])
  })

  it('refuses a change made on an older version', async () => {
    const server = await startServer()
    const anyone = caller(server.url)
    const current = (await anyone<StoredSettings>('GET', '/api/v1/settings')).body
    // Two admins' forms, both made on version 0, each changing something.
    const one = { ...current, defaults: { ...current.defaults, targetPercent: 90 }, version: 0 }
    const two = { ...current, defaults: { ...current.defaults, targetPercent: 70 }, version: 0 }

    const first = await anyone('PUT', '/api/v1/settings', one)
    expect(first.status).toBe(200)
    const stale = await anyone<{ version: number }>('PUT', '/api/v1/settings', two)
    expect([stale.status, stale.body.version]).toEqual([409, 1])

    // Without access control the audit says so.
    const audit = await anyone<AuditBody>('GET', '/api/v1/settings/audit')
    expect(audit.body.entries[0]?.by).toEqual({ name: 'open access', role: 'admin' })
  })

  it('reaches a second server process, counted from the next event on', async () => {
    const server = await startServer()
    const other = await ServerProcess.start({ redisUrl: redisUrl(), prefix: server.prefix })
    processes.push(other)
    const here = caller(server.url)
    const there = caller(other.url)
    const support = async (call: typeof here) =>
      (await call<Snapshot>('GET', '/api/v1/snapshot?window=today')).body.queues.Support

    // A and B wait 25 s under T = 20: misses. T becomes 30 on Support; C and D wait 25 s
    // too, now within. So 2 of 4 are within T, judged against the new target of 90 %.
    await post(`${server.url}/api/v1/events`, calls(['A', 'B'], 25), 'application/json')
    const current = (await here<StoredSettings>('GET', '/api/v1/settings')).body
    const change = withSupport(current, { targetPercent: 90, thresholdSeconds: 30 })
    expect((await here('PUT', '/api/v1/settings', change)).status).toBe(200)
    await post(`${server.url}/api/v1/events`, calls(['C', 'D'], 25), 'application/json')

    for (const call of [here, there]) {
      const figures = await until(
        () => support(call),
        (f) => f?.offered === 4,
      )
      expect([figures?.answeredWithinThreshold, figures?.offered]).toEqual([2, 4])
      expect([figures?.serviceLevelMet, figures?.serviceLevelOffered]).toEqual([2, 4])
      expect([figures?.threshold, figures?.target, figures?.variant]).toEqual([30, 0.9, 'V2'])
    }
    const seen = await there<StoredSettings>('GET', '/api/v1/settings')
    expect(seen.body.version).toBe(1)

    // Today's interval report judges the queue by the same settings.
    const intervals = await here<{ day: { queues: Record<string, Figures> } }>(
      'GET',
      '/api/v1/intervals/today',
    )
    const day = intervals.body.day.queues.Support
    expect([day?.serviceLevelMet, day?.serviceLevelOffered, day?.target]).toEqual([2, 4, 0.9])

    // A server started now rebuilds today with each version where it stood in the stream.
    const late = await startServer({}, server.prefix)
    const rebuilt = await support(caller(late.url))
    expect([rebuilt?.answeredWithinThreshold, rebuilt?.offered]).toEqual([2, 4])
  }, 40_000)

  it('moves the windows of every server when the site clock changes', async () => {
    const server = await startServer()
    const other = await startServer({}, server.prefix)
    const anyone = caller(server.url)
    const current = (await anyone<StoredSettings>('GET', '/api/v1/settings')).body
    const { version: _version, ...settings } = current

    const put = await anyone('PUT', '/api/v1/settings', {
      ...settings,
      site: { tz: 'Asia/Shanghai', dayStart: '04:00', intervalMinutes: 15 },
    })
    expect(put.status).toBe(200)

    for (const url of [server.url, other.url]) {
      const snapshot = await until(
        async () => (await caller(url)<Snapshot>('GET', '/api/v1/snapshot?window=today')).body,
        (s) => s.tz === 'Asia/Shanghai',
      )
      expect(snapshot.windowLabel).toBe('since 04:00 Asia/Shanghai')
      // The current interval is a quarter hour now: it starts on one of :00 :15 :30 :45.
      const interval = (await caller(url)<Snapshot>('GET', '/api/v1/snapshot?window=interval')).body
      expect(interval.windowStart % (15 * 60_000)).toBe(0)
      expect(Date.now() - interval.windowStart).toBeLessThan(15 * 60_000 + 5000)
    }
  })
})
