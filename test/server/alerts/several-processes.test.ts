import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Incident } from '../../../shared/alerts.ts'
import { alertKeysFor } from '../../../server/alerts/alert-keys.ts'
import { deleteKeys } from '../../helpers/redis-keys.ts'
import { ServerProcess } from '../../helpers/server-process.ts'
import { newPrefix, redisUrl } from '../../helpers/test-server.ts'
import { WebhookReceiver } from '../../helpers/webhook-receiver.ts'

// Several `callboard serve` processes on one Redis, each judging the same figures every
// second: one notification per incident change between them, the same incidents on each,
// and none sent again by a process started after another was killed.

/** `count` calls entering `agoS` seconds ago, answered after `waitS`. */
function calls(tag: string, count: number, agoS: number, waitS: number): string {
  const entered = Math.floor(Date.now() / 1000) - agoS
  const lines: string[] = []
  for (let i = 0; i < count; i++) {
    const id = `${tag}-${i}`
    lines.push(`${entered}|${id}|Sales|NONE|ENTERQUEUE||1380000${i}|1`)
    lines.push(`${entered + waitS}|${id}|Sales|PJSIP/1001|CONNECT|${waitS}|b-${id}|1`)
  }
  return lines.join('\n')
}

async function openAt(server: ServerProcess): Promise<string[]> {
  const response = await fetch(`${server.url}/api/v1/incidents?state=open`)
  const { incidents } = (await response.json()) as { incidents: Incident[] }
  return incidents.map((incident) => incident.id)
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

describe('alerts from several server processes on one Redis', () => {
  const prefix = newPrefix()
  let redis: Redis
  let receiver: WebhookReceiver
  let env: Record<string, string>
  const servers: ServerProcess[] = []

  beforeAll(async () => {
    redis = new Redis(redisUrl())
    receiver = await WebhookReceiver.start()
    const path = join(mkdtempSync(join(tmpdir(), 'callboard-alerts-')), 'alerts.json')
    writeFileSync(
      path,
      JSON.stringify({
        webhooks: [{ url: receiver.url(), minSeverity: 'info' }],
        defaults: {
          serviceLevel: { pendingSeconds: 1, minVolume: 5 },
          callsWaiting: { enabled: false },
          longestWait: { enabled: false },
          abandonRate: { enabled: false },
        },
        feedSilent: { enabled: false },
      }),
    )
    env = { CALLBOARD_ALERTS_FILE: path }
  })
  afterAll(async () => {
    for (const server of servers) await server.stop()
    await receiver.close()
    await deleteKeys(redis, prefix)
    redis.disconnect()
  })

  it('sends one notification per change, and none again after a process is replaced', async () => {
    const start = () => ServerProcess.start({ redisUrl: redisUrl(), prefix, env })
    const [a, b] = await Promise.all([start(), start()])
    servers.push(a, b)

    await fetch(`${a.url}/api/v1/events/asterisk`, {
      method: 'POST',
      body: calls('late', 8, 300, 45),
    })
    await receiver.waitFor(1)
    // Both processes judge every second; give each a few rounds to try to send it again.
    await sleep(2500)
    expect(receiver.bodies().map((body) => body.event)).toEqual(['incident.opened'])

    const id = (receiver.bodies()[0]?.incident as Incident).id
    expect(await openAt(a)).toEqual([id])
    expect(await openAt(b)).toEqual([id])
    const opened = [a, b].map((server) => server.logged('incident_opened').length)
    expect(opened.sort()).toEqual([0, 1])

    // A dies without a word; C takes its place and finds the incident open.
    await a.kill()
    const c = await start()
    servers.push(c)
    expect(await openAt(c)).toEqual([id])
    await sleep(2000)
    expect(receiver.received).toHaveLength(1)

    // 40 of 48 within T is 83 %: past the clear level of 82 %.
    await fetch(`${c.url}/api/v1/events/asterisk`, {
      method: 'POST',
      body: calls('fast', 40, 200, 2),
    })
    await receiver.waitFor(2)
    await sleep(2000)
    expect(receiver.bodies().map((body) => body.event)).toEqual([
      'incident.opened',
      'incident.resolved',
    ])
    expect(await openAt(b)).toEqual([])
    expect(await openAt(c)).toEqual([])
    expect(await redis.zcard(alertKeysFor(prefix).outbox)).toBe(0)
  }, 60_000)
})
