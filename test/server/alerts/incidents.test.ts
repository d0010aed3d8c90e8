import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Incident } from '../../../shared/alerts.ts'
import { alertKeysFor } from '../../../server/alerts/alert-keys.ts'
import type { AlertFile } from '../../../server/alerts/alert-rules.ts'
import { AlertService } from '../../../server/alerts/alert-service.ts'
import { silentLogger } from '../../../server/logger.ts'
import { FakeInputs, MORNING } from '../../helpers/alert-inputs.ts'
import { deleteKeys, newPrefix, redisUrl } from '../../helpers/test-server.ts'
import { WebhookReceiver } from '../../helpers/webhook-receiver.ts'

const SECOND = 1000
const MINUTE = 60 * SECOND

/** A clock the test moves by hand. */
class Clock {
  now = MORNING
  advance(seconds: number): number {
    this.now += seconds * SECOND
    return this.now
  }
}

let receiver: WebhookReceiver
let redis: Redis
const services: AlertService[] = []
const prefixes: string[] = []

beforeAll(async () => {
  receiver = await WebhookReceiver.start()
  redis = new Redis(redisUrl())
})
afterEach(async () => {
  for (const service of services.splice(0)) await service.stop()
  for (const prefix of prefixes.splice(0)) await deleteKeys(redis, prefix)
  receiver.received.length = 0
  receiver.attempts.length = 0
  receiver.failNext(0)
})
afterAll(async () => {
  await receiver.close()
  redis.disconnect()
})

/** Only the service-level rule, posting every severity to the receiver. */
function rules(extra: AlertFile = {}): AlertFile {
  return {
    webhooks: [{ url: receiver.url(), format: 'json', minSeverity: 'info' }],
    defaults: {
      callsWaiting: { enabled: false },
      longestWait: { enabled: false },
      abandonRate: { enabled: false },
    },
    feedSilent: { enabled: false },
    ...extra,
  }
}

async function startService(
  prefix: string,
  inputs: FakeInputs,
  clock: Clock,
  file: AlertFile,
): Promise<AlertService> {
  const service = newService(prefix, inputs, clock, file)
  await service.start()
  return service
}

/** A service not started yet, stopped (and its keys deleted) after the test. */
function newService(prefix: string, inputs: FakeInputs, clock: Clock, file: AlertFile) {
  if (!prefixes.includes(prefix)) prefixes.push(prefix)
  const service = new AlertService({
    redis: new Redis(redisUrl()),
    keys: alertKeysFor(prefix),
    inputs,
    targetPercent: 80,
    file,
    logger: silentLogger(),
    now: () => clock.now,
    tickMs: 0,
    outbox: { pollMs: 20, baseDelayMs: 50, maxDelayMs: 400, timeoutMs: 500 },
  })
  services.push(service)
  return service
}

/** Waits until no delivery is queued or in flight: every webhook due has been sent. */
async function drained(prefix: string): Promise<void> {
  const outbox = alertKeysFor(prefix).outbox
  const deadline = Date.now() + 10_000
  while ((await redis.zcard(outbox)) > 0) {
    if (Date.now() > deadline) throw new Error('webhook outbox did not drain in 10 s')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

function events(): string[] {
  return receiver.bodies().map((body) => String(body.event))
}

function sentIncident(index: number): Incident {
  return receiver.bodies()[index]?.incident as Incident
}

describe('incidents in Redis', () => {
  it('sends one webhook when an incident opens and one when it recovers', async () => {
    const prefix = newPrefix()
    const clock = new Clock()
    const inputs = new FakeInputs().serviceLevel('Sales', 70, 20)
    const service = await startService(prefix, inputs, clock, rules())

    // Pending 60 s by default: nothing at 0 or 59 s.
    await service.evaluate()
    clock.advance(59)
    await service.evaluate()
    await drained(prefix)
    expect(receiver.received).toHaveLength(0)

    clock.advance(1)
    for (let round = 0; round < 10; round++) {
      await service.evaluate()
      clock.advance(1)
    }
    await drained(prefix)
    expect(events()).toEqual(['incident.opened'])
    expect(sentIncident(0)).toMatchObject({
      rule: 'serviceLevel',
      subject: 'Sales',
      state: 'open',
      value: 70,
      fire: 80,
      clear: 82,
      breachSince: MORNING,
      openedAt: MORNING + MINUTE,
    })

    inputs.serviceLevel('Sales', 85, 40)
    await service.evaluate()
    await service.evaluate()
    await drained(prefix)
    expect(events()).toEqual(['incident.opened', 'incident.resolved'])
    expect(sentIncident(1)).toMatchObject({ id: sentIncident(0).id, resolvedValue: 85 })

    const stored = await service.store.get(sentIncident(0).id)
    expect(stored).toMatchObject({ state: 'resolved', resolvedAt: MORNING + 70 * SECOND })
    expect(service.openIncidents()).toEqual([])
  })

  it('repeats an unacknowledged incident, and acknowledging it stops the repeats', async () => {
    const prefix = newPrefix()
    const clock = new Clock()
    const inputs = new FakeInputs().serviceLevel('Sales', 50, 20)
    const service = await startService(
      prefix,
      inputs,
      clock,
      rules({ repeatMinutes: 5, defaults: { serviceLevel: { pendingSeconds: 0 } } }),
    )

    await service.evaluate()
    clock.advance(5 * 60)
    await service.evaluate()
    await drained(prefix)
    expect(events()).toEqual(['incident.opened', 'incident.repeat'])

    const [incident] = service.openIncidents()
    const marked = await service.acknowledge(incident!.id, 'Li Wei 李伟')
    expect(marked.incident).toMatchObject({
      acknowledgedBy: 'Li Wei 李伟',
      acknowledgedAt: clock.now,
      nextRepeatAt: null,
    })

    for (let round = 0; round < 4; round++) {
      clock.advance(5 * 60)
      await service.evaluate()
    }
    await drained(prefix)
    expect(events()).toEqual(['incident.opened', 'incident.repeat'])

    // Acknowledged is still open: only recovery resolves it, and that is still sent.
    inputs.serviceLevel('Sales', 95, 20)
    await service.evaluate()
    await drained(prefix)
    expect(events()).toEqual(['incident.opened', 'incident.repeat', 'incident.resolved'])
  })

  it('holds repeats while an incident is snoozed, and repeats once the snooze ends', async () => {
    const prefix = newPrefix()
    const clock = new Clock()
    const inputs = new FakeInputs().serviceLevel('Sales', 50, 20)
    const file = rules({ repeatMinutes: 5, defaults: { serviceLevel: { pendingSeconds: 0 } } })
    const service = await startService(prefix, inputs, clock, file)

    await service.evaluate()
    const [incident] = service.openIncidents()
    const snoozed = await service.snooze(incident!.id, 'Zhang', 20)
    expect(snoozed.incident).toMatchObject({
      snoozedBy: 'Zhang',
      snoozedAt: MORNING,
      snoozedUntil: MORNING + 20 * MINUTE,
    })

    for (let minute = 5; minute < 20; minute += 5) {
      clock.advance(5 * 60)
      await service.evaluate()
    }
    await drained(prefix)
    expect(events()).toEqual(['incident.opened'])

    clock.advance(5 * 60)
    await service.evaluate()
    await drained(prefix)
    expect(events()).toEqual(['incident.opened', 'incident.repeat'])
  })

  it('judges nothing it is woken for before it starts, while the figures are rebuilt', async () => {
    const clock = new Clock()
    // 5 of 20 within T is 25 %, far under 80 %: judged, it opens at once (no pending time).
    const inputs = new FakeInputs().serviceLevel('Sales', 25, 20)
    const file = rules({ defaults: { serviceLevel: { pendingSeconds: 0 } } })
    const service = newService(newPrefix(), inputs, clock, file)

    // A live server wakes it on every batch of its rebuild, before it is started.
    service.wake(0)
    await new Promise((resolve) => setTimeout(resolve, 300))
    await service.start()
    expect(service.openIncidents()).toEqual([])
    expect(receiver.received).toHaveLength(0)

    service.wake(0)
    const [opened] = await receiver.waitFor(1)
    expect(opened?.body).toMatchObject({ event: 'incident.opened' })
    expect(service.openIncidents()).toMatchObject([{ subject: 'Sales', value: 25 }])
  })

  it('sends nothing again after a restart for an incident already open', async () => {
    const prefix = newPrefix()
    const clock = new Clock()
    const inputs = new FakeInputs().serviceLevel('Sales', 60, 30)
    const file = rules({ defaults: { serviceLevel: { pendingSeconds: 0 } } })

    const first = await startService(prefix, inputs, clock, file)
    await first.evaluate()
    await drained(prefix)
    await first.stop()
    expect(events()).toEqual(['incident.opened'])

    const second = await startService(prefix, inputs, clock, file)
    expect(second.openIncidents().map((i) => i.id)).toEqual([sentIncident(0).id])
    for (let round = 0; round < 5; round++) {
      clock.advance(10)
      await second.evaluate()
    }
    await drained(prefix)
    expect(events()).toEqual(['incident.opened'])

    inputs.serviceLevel('Sales', 90, 30)
    await second.evaluate()
    await drained(prefix)
    expect(events()).toEqual(['incident.opened', 'incident.resolved'])
  })

  it('delivers after a restart a notification the stopped process could not', async () => {
    const prefix = newPrefix()
    const clock = new Clock()
    const inputs = new FakeInputs().serviceLevel('Sales', 60, 30)
    const file = rules({ defaults: { serviceLevel: { pendingSeconds: 0 } } })

    receiver.failNext(1000)
    const first = await startService(prefix, inputs, clock, file)
    await first.evaluate()
    await expect.poll(() => receiver.attempts.length).toBeGreaterThan(0)
    await first.stop()

    receiver.failNext(0)
    await startService(prefix, inputs, clock, file)
    await drained(prefix)
    expect(events()).toEqual(['incident.opened'])
  })

  it('sends one notification per change from two processes on one Redis', async () => {
    const prefix = newPrefix()
    const clock = new Clock()
    const inputs = new FakeInputs().serviceLevel('报修热线', 40, 50)
    const file = rules({ defaults: { serviceLevel: { pendingSeconds: 30 } } })
    const a = await startService(prefix, inputs, clock, file)
    const b = await startService(prefix, inputs, clock, file)

    for (let round = 0; round < 5; round++) {
      await Promise.all([a.evaluate(), b.evaluate()])
      clock.advance(10)
    }
    await drained(prefix)
    expect(events()).toEqual(['incident.opened'])
    const id = sentIncident(0).id
    expect(a.openIncidents().map((i) => i.id)).toEqual([id])
    expect(b.openIncidents().map((i) => i.id)).toEqual([id])

    // Acknowledged through one process, shown by the other.
    await a.acknowledge(id, 'Wang')
    await expect.poll(() => b.openIncidents()[0]?.acknowledgedBy).toBe('Wang')

    inputs.serviceLevel('报修热线', 90, 50)
    await Promise.all([a.evaluate(), b.evaluate()])
    await Promise.all([a.evaluate(), b.evaluate()])
    await drained(prefix)
    expect(events()).toEqual(['incident.opened', 'incident.resolved'])
    expect(a.openIncidents()).toEqual([])
    await expect.poll(() => b.openIncidents()).toEqual([])
  })

  it('opens no second incident for a breach another process already saw end', async () => {
    const prefix = newPrefix()
    const clock = new Clock()
    const file = rules()
    const ahead = new FakeInputs().serviceLevel('Sales', 60, 30)
    const behind = new FakeInputs().serviceLevel('Sales', 60, 30)
    const a = await startService(prefix, ahead, clock, file)
    const b = await startService(prefix, behind, clock, file)

    // Both see the breach begin; only A gets to open its incident and sees it recover.
    await Promise.all([a.evaluate(), b.evaluate()])
    clock.advance(60)
    await a.evaluate()
    clock.advance(10)
    ahead.serviceLevel('Sales', 95, 30)
    await a.evaluate()

    // B, a step behind, still sees the old figures: the breach it saw began before A's
    // incident resolved, so it was that incident's.
    clock.advance(1)
    await b.evaluate()
    await drained(prefix)
    expect(events()).toEqual(['incident.opened', 'incident.resolved'])
    expect(b.openIncidents()).toEqual([])
  })

  it('retries a failing webhook with growing delays until it is taken', async () => {
    const prefix = newPrefix()
    const clock = new Clock()
    const inputs = new FakeInputs().serviceLevel('Sales', 60, 30)
    receiver.failNext(3, 503)
    const service = await startService(
      prefix,
      inputs,
      clock,
      rules({ defaults: { serviceLevel: { pendingSeconds: 0 } } }),
    )

    await service.evaluate()
    await drained(prefix)
    expect(events()).toEqual(['incident.opened'])
    expect(receiver.attempts).toHaveLength(4)

    // Back-off 50, 100, 200 ms (each up to a fifth more), doubling.
    const gaps = receiver.attempts.slice(1).map((a, i) => a.at - receiver.attempts[i]!.at)
    expect(gaps[0]).toBeGreaterThanOrEqual(45)
    expect(gaps[1]).toBeGreaterThanOrEqual(95)
    expect(gaps[2]).toBeGreaterThanOrEqual(195)
  })

  it('does not let a recovery overtake the opening notification still being retried', async () => {
    const prefix = newPrefix()
    const clock = new Clock()
    const inputs = new FakeInputs().serviceLevel('Sales', 60, 30)
    receiver.failNext(2, 502)
    const file = rules({ defaults: { serviceLevel: { pendingSeconds: 0 } } })
    const service = await startService(prefix, inputs, clock, file)

    await service.evaluate()
    clock.advance(1)
    inputs.serviceLevel('Sales', 90, 30)
    await service.evaluate()
    await drained(prefix)

    expect(events()).toEqual(['incident.opened', 'incident.resolved'])
    expect(receiver.attempts.map((a) => a.body.event)).toEqual([
      'incident.opened',
      'incident.opened',
      'incident.opened',
      'incident.resolved',
    ])
  })

  it('does not hold up the evaluation for a webhook that never answers', async () => {
    const prefix = newPrefix()
    const clock = new Clock()
    const inputs = new FakeInputs().serviceLevel('Sales', 60, 30).serviceLevel('VIP', 60, 30)
    const hanging = await hangingServer()
    const file = rules({ defaults: { serviceLevel: { pendingSeconds: 0 } } })
    file.webhooks = [{ url: hanging.url, format: 'json', minSeverity: 'info' }]
    const service = await startService(prefix, inputs, clock, file)

    const started = Date.now()
    await service.evaluate()
    clock.advance(1)
    inputs.serviceLevel('VIP', 90, 30)
    await service.evaluate()

    expect(Date.now() - started).toBeLessThan(400)
    expect(service.openIncidents().map((i) => i.subject)).toEqual(['Sales'])
    await hanging.close()
  })

  it('writes Slack, WeCom and DingTalk bodies', async () => {
    const prefix = newPrefix()
    const clock = new Clock()
    const inputs = new FakeInputs().serviceLevel('报修热线', 62.5, 40)
    const file = rules({ defaults: { serviceLevel: { pendingSeconds: 0 } } })
    file.webhooks = (['slack', 'wecom', 'dingtalk'] as const).map((format) => ({
      url: receiver.url(`/${format}`),
      format,
      minSeverity: 'warning' as const,
    }))
    const service = await startService(prefix, inputs, clock, file)

    await service.evaluate()
    await drained(prefix)

    const [slack] = receiver.bodies('/slack')
    expect(slack?.text).toBe(
      'ALERT 报修热线: service level 62.5 % (last 30 min), fires below 80 %, since 10:00',
    )
    const [wecom] = receiver.bodies('/wecom') as {
      msgtype: string
      markdown: { content: string }
    }[]
    expect(wecom?.msgtype).toBe('markdown')
    expect(wecom?.markdown.content).toContain(
      '【告警】报修热线 服务水平 62.5 %（近30分钟），低于告警线 80 %，自 10:00 起',
    )
    const [dingtalk] = receiver.bodies('/dingtalk') as {
      markdown: { title: string; text: string }
    }[]
    expect(dingtalk?.markdown.title).toContain('【告警】报修热线 服务水平')
    expect(dingtalk?.markdown.text).toContain('ALERT 报修热线')
  })
})

/** A server that accepts connections and never answers. */
async function hangingServer() {
  const { createServer } = await import('node:http')
  const server = createServer(() => {})
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => {
      server.closeAllConnections()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
