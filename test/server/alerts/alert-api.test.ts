import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Incident, ServiceLevelToday } from '../../../shared/alerts.ts'
import type { AlertsMessage } from '../../../shared/protocol.ts'
import {
  newPrefix,
  post,
  serversPerTest,
  startTestServer,
  type TestServer,
} from '../../helpers/test-server.ts'
import { TestSocket } from '../../helpers/ws-client.ts'
import { WebhookReceiver } from '../../helpers/webhook-receiver.ts'

const dir = mkdtempSync(join(tmpdir(), 'callboard-alerts-'))
let receiver: WebhookReceiver
const startServer = serversPerTest()

beforeAll(async () => (receiver = await WebhookReceiver.start()))
afterEach(() => {
  receiver.received.length = 0
})
afterAll(() => receiver.close())

/** A rules file; by default only service level, quick to fire, posting to the receiver. */
function rulesFile(rules: object = {}): string {
  const path = join(dir, `${newPrefix()}.json`)
  const file = {
    webhooks: [{ url: receiver.url(), format: 'json', minSeverity: 'info' }],
    defaults: {
      serviceLevel: { pendingSeconds: 0, minVolume: 5 },
      callsWaiting: { enabled: false },
      longestWait: { enabled: false },
      abandonRate: { enabled: false },
    },
    feedSilent: { enabled: false },
    ...rules,
  }
  writeFileSync(path, JSON.stringify(file))
  return path
}

async function serve(file = rulesFile(), prefix?: string): Promise<TestServer> {
  return startServer({ CALLBOARD_ALERTS_FILE: file }, prefix)
}

/** queue_log: `count` calls entering `agoS` seconds ago, answered after `waitS`. */
function calls(tag: string, count: number, agoS: number, waitS: number, queue = 'Sales'): string {
  const entered = Math.floor(Date.now() / 1000) - agoS
  const lines: string[] = []
  for (let i = 0; i < count; i++) {
    const id = `${tag}-${i}`
    lines.push(`${entered}|${id}|${queue}|NONE|ENTERQUEUE||1380000${i}|1`)
    lines.push(`${entered + waitS}|${id}|${queue}|PJSIP/1001|CONNECT|${waitS}|b-${id}|1`)
  }
  return lines.join('\n')
}

async function getJson<T>(url: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const response = await fetch(url, init)
  return { status: response.status, body: (await response.json()) as T }
}

function putRules(server: TestServer, body: unknown) {
  return getJson<Record<string, unknown>>(`${server.url}/api/v1/alert-rules`, {
    method: 'PUT',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  })
}

async function openIncidents(server: TestServer): Promise<Incident[]> {
  const { body } = await getJson<{ incidents: Incident[] }>(
    `${server.url}/api/v1/incidents?state=open`,
  )
  return body.incidents
}

describe('the alert API', () => {
  it('shows the 80/20 defaults and refuses a bad change, naming the field', async () => {
    const server = await serve(rulesFile({ defaults: {} }))
    const { body } = await getJson<{ effective: { defaults: Record<string, object> } }>(
      `${server.url}/api/v1/alert-rules`,
    )
    expect(body.effective.defaults.serviceLevel).toEqual({
      enabled: true,
      window: '30m',
      fire: 80,
      clear: 82,
      minVolume: 10,
      pendingSeconds: 60,
      severity: 'critical',
    })

    const wrongType = await putRules(server, {
      queues: { Sales: { serviceLevel: { fire: '80' } } },
    })
    expect(wrongType).toMatchObject({
      status: 400,
      body: { field: 'queues.Sales.serviceLevel.fire' },
    })

    const wrongSide = await putRules(server, { defaults: { serviceLevel: { clear: 75 } } })
    expect(wrongSide).toMatchObject({ status: 400, body: { field: 'defaults.serviceLevel.clear' } })
    expect(wrongSide.body.error).toContain('must be at least fire 80')

    // Webhooks are set in the file only.
    const hook = await putRules(server, { webhooks: [{ url: 'http://example.com/' }] })
    expect(hook).toMatchObject({ status: 400, body: { field: 'webhooks' } })
    expect(hook.body.error).toContain('webhooks are set only in the rules file')

    const unknown = await putRules(server, { rules: [] })
    expect(unknown.body.field).toBe('rules')
    expect(unknown.body.error).toMatch(
      /^field rules: unknown field "rules"; expected some of repeatMinutes, /,
    )
  })

  it('stores rules set through the API for every server on the same Redis', async () => {
    const prefix = newPrefix()
    const file = rulesFile()
    const a = await serve(file, prefix)
    const b = await serve(file, prefix)

    const saved = await putRules(a, {
      queues: { 报修热线: { serviceLevel: { fire: 90, clear: 92 } } },
    })
    expect(saved.status).toBe(200)

    await expect
      .poll(async () => {
        const { body } = await getJson<{ effective: { queues: Record<string, unknown> } }>(
          `${b.url}/api/v1/alert-rules`,
        )
        return body.effective.queues['报修热线']
      })
      .toMatchObject({ serviceLevel: { fire: 90, clear: 92, minVolume: 5, pendingSeconds: 0 } })
  })

  it('refuses to start with a rules file that does not check, naming file and field', async () => {
    const path = join(dir, 'bad.json')
    writeFileSync(path, JSON.stringify({ defaults: { longestWait: { fire: 60, clear: 90 } } }))

    await expect(startTestServer({ CALLBOARD_ALERTS_FILE: path })).rejects.toThrow(
      `CALLBOARD_ALERTS_FILE=${path}: field defaults.longestWait.clear: ` +
        'clear 90 must be below fire 60',
    )
  })

  it('opens an incident on wall, API and webhook; takes an ack; resolves', async () => {
    const server = await serve()
    const socket = await TestSocket.open(`${server.url.replace('http', 'ws')}/ws?alerts=1`)

    // Six calls answered after 40 s: 0 of 6 within 20 s.
    await post(`${server.url}/api/v1/events/asterisk`, calls('late', 6, 300, 40))
    await receiver.waitFor(1)
    const [incident] = await openIncidents(server)
    expect(incident).toMatchObject({ rule: 'serviceLevel', subject: 'Sales', value: 0 })
    expect(receiver.bodies()[0]).toMatchObject({ event: 'incident.opened' })

    const shown = (await socket.next(
      (m) => (m as unknown as AlertsMessage).type === 'alerts' && hasIncidents(m),
    )) as unknown as AlertsMessage
    expect(shown.incidents.map((i) => i.id)).toEqual([incident?.id])

    const ack = await getJson<Incident>(
      `${server.url}/api/v1/incidents/${incident?.id}/acknowledge`,
      {
        method: 'POST',
        body: JSON.stringify({ by: '李伟' }),
      },
    )
    expect(ack).toMatchObject({ status: 200, body: { acknowledgedBy: '李伟' } })
    expect(ack.body.acknowledgedAt).toBeGreaterThan(0)

    // 40 calls answered at once: 40 of 46 within T is 87 %, past the clear level of 82 %.
    await post(`${server.url}/api/v1/events/asterisk`, calls('fast', 40, 200, 3))
    await receiver.waitFor(2)
    expect(receiver.bodies()[1]).toMatchObject({
      event: 'incident.resolved',
      incident: { id: incident?.id, acknowledgedBy: '李伟', state: 'resolved' },
    })
    await socket.next((m) => (m as unknown as AlertsMessage).type === 'alerts' && !hasIncidents(m))

    const history = await getJson<{ incidents: Incident[] }>(
      `${server.url}/api/v1/incidents?queue=Sales`,
    )
    expect(history.body.incidents.map((i) => [i.id, i.state])).toEqual([[incident?.id, 'resolved']])

    const late = await getJson(`${server.url}/api/v1/incidents/${incident?.id}/snooze`, {
      method: 'POST',
      body: JSON.stringify({ by: '李伟', minutes: 10 }),
    })
    expect(late.status).toBe(409)
    socket.close()
  })

  it('alerts on a queue nobody answers, with no event after the calls came in', async () => {
    const server = await serve()
    const entered = Math.floor(Date.now() / 1000) - 17
    const lines = [1, 2, 3, 4, 5].map((i) => `${entered}|w${i}|报修热线|NONE|ENTERQUEUE||${i}|1`)
    await post(`${server.url}/api/v1/events/asterisk`, lines.join('\n'))
    expect(await openIncidents(server)).toEqual([])

    // At 20 s of waiting each call is a miss: 0 of 5, by the clock alone.
    await receiver.waitFor(1, 10_000)
    expect(await openIncidents(server)).toMatchObject([{ subject: '报修热线', value: 0 }])
  })

  it('alerts beside queues named like Object’s properties, which get the defaults', async () => {
    const server = await serve()
    const entered = Math.floor(Date.now() / 1000) - 17
    // Queues "constructor" and "toString" answered at once, each 5 of 5 within T; Sales's
    // five wait on: at 20 s each is a miss, 0 of 5, and only Sales falls below 80 %.
    const odd = ['constructor', 'toString'].map((queue) => calls(queue, 5, 30, 2, queue))
    const waiting = [1, 2, 3, 4, 5].map((i) => `${entered}|p${i}|Sales|NONE|ENTERQUEUE||${i}|1`)
    await post(`${server.url}/api/v1/events/asterisk`, [...odd, ...waiting].join('\n'))

    await receiver.waitFor(1, 10_000)
    expect(await openIncidents(server)).toMatchObject([{ subject: 'Sales', value: 0 }])
    const snapshot = await getJson<{ queues: Record<string, { threshold: number }> }>(
      `${server.url}/api/v1/snapshot?window=today`,
    )
    expect(snapshot.body.queues.constructor).toMatchObject({ offered: 5, threshold: 20 })
    expect(snapshot.body.queues.toString).toMatchObject({ serviceLevel: 1, target: 0.8 })
  })

  it('gives today’s service level per quarter hour with the incidents’ times', async () => {
    const server = await serve()
    await post(`${server.url}/api/v1/events/asterisk`, calls('late', 6, 60, 40))
    await receiver.waitFor(1)

    const { body } = await getJson<ServiceLevelToday>(
      `${server.url}/api/v1/service-level/today?queues=Sales`,
    )
    const withCalls = body.queues.Sales?.points.filter((point) => point.offered > 0)
    expect(withCalls).toMatchObject([{ serviceLevel: 0, offered: 6 }])
    expect(body.queues.Sales?.incidents).toMatchObject([{ rule: 'serviceLevel', resolvedAt: null }])
    expect(body.dayEnd - body.dayStart).toBe(86_400_000)
  })
})

function hasIncidents(message: unknown): boolean {
  return ((message as AlertsMessage).incidents ?? []).length > 0
}
