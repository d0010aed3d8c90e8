import { describe, expect, it } from 'vitest'
import { freePort } from '../../helpers/free-port.ts'
import { serversPerTest, startTestServer } from '../../helpers/test-server.ts'

// A process takes its port before it joins the others: one that cannot have it must stop
// without taking a partition from them, and one that can answers 503 for the figures until
// it is ready.

const serve = serversPerTest()

/** `count` calls, each an ENTERQUEUE, a CONNECT after 5 s and a COMPLETECALLER. */
function calls(count: number): string {
  const entered = Math.floor(Date.now() / 1000) - 600
  const lines: string[] = []
  for (let i = 0; i < count; i++) {
    const id = `start-${i}`
    lines.push(
      `${entered}|${id}|Sales|NONE|ENTERQUEUE||1380000${i}|1`,
      `${entered + 5}|${id}|Sales|PJSIP/1001|CONNECT|5|${id}.b|1`,
      `${entered + 65}|${id}|Sales|PJSIP/1001|COMPLETECALLER|5|60|1`,
    )
  }
  return lines.join('\n')
}

describe('a server process starting beside others', () => {
  it('stops on a taken port before it joins, taking no partition from the one there', async () => {
    const first = await serve()
    const [member] = await first.redis.zrange(first.keys.members, 0, -1)
    const leases = await first.redis.hgetall(first.keys.leases)
    expect(Object.keys(leases)).toHaveLength(16)

    // Every process that beats adds itself to the members (in the lease script); a process
    // that stops at once after joining leaves nothing behind to see, so Redis is watched.
    const monitor = await first.redis.duplicate().monitor()
    const joined = new Set<string>()
    monitor.on('monitor', (_time: string, args: string[]) => {
      const [command, key, , name] = args
      if (command?.toUpperCase() === 'ZADD' && key === first.keys.members) joined.add(name ?? '')
    })

    await expect(startTestServer({ PORT: String(first.port) }, first.prefix)).rejects.toThrow(
      `cannot listen on HOST=127.0.0.1 PORT=${first.port}`,
    )
    // The heartbeat of the one there (once a second) is seen at least once.
    await new Promise((resolve) => setTimeout(resolve, 1500))
    monitor.disconnect()

    expect([...joined]).toEqual([member])
    expect(await first.redis.hgetall(first.keys.leases)).toEqual(leases)
  })

  it('answers the figures 503 while it reads today, serving the wall page already', async () => {
    const writer = await serve()
    const posted = await fetch(`${writer.url}/api/v1/events/asterisk`, {
      method: 'POST',
      body: calls(20_000),
    })
    expect(await posted.json()).toMatchObject({ accepted: 60_000 })
    await writer.stop()

    // 60,000 events take a new process a few hundred milliseconds to read (README
    // Performance: about 5 µs an event), long enough to be asked meanwhile.
    const port = await freePort()
    const starting = serve({ PORT: String(port) }, writer.prefix)
    const ask = async (path: string) => {
      const response = await fetch(`http://127.0.0.1:${port}${path}`)
      const type = response.headers.get('content-type') ?? ''
      const body: unknown = type.includes('json') ? await response.json() : await response.text()
      return { status: response.status, retryAfter: response.headers.get('retry-after'), body }
    }
    const rounds: Awaited<ReturnType<typeof ask>>[][] = []
    for (;;) {
      const round = await Promise.all(['/healthz', '/api/v1/snapshot', '/'].map(ask)).catch(
        () => null,
      )
      if (round !== null) rounds.push(round)
      if (round?.[0]?.status === 200) break
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    await starting

    const waited = rounds.filter(([health]) => health?.status === 503)
    expect(waited.length).toBeGreaterThan(0)
    const refusal = {
      status: 503,
      retryAfter: '1',
      body: { error: "starting: reading today's events from Redis" },
    }
    expect(waited[0]?.[0]).toEqual(refusal)
    expect(waited.map(([, snapshot]) => snapshot)).toContainEqual(refusal)
    // The page a TV loads, which then connects by itself once the process is ready.
    const pages = waited.map(([, , page]) => page)
    expect(pages).toContainEqual(expect.objectContaining({ status: 200 }))
    expect(String(pages.find((page) => page?.status === 200)?.body)).toContain('<!doctype html>')
    expect(rounds.at(-1)?.[0]?.body).toMatchObject({ status: 'ok', redis: true })
  })
})
