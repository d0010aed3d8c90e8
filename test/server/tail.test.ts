import { once } from 'node:events'
import { appendFile, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../../server/logger.ts'
import { runTail, TailRejectedError, type TailOptions } from '../../server/cli/tail.ts'

/** An ingest endpoint that records what it accepted and can be told to fail. */
class Receiver {
  readonly bodies: string[] = []
  readonly contentTypes: string[] = []
  requests = 0
  #failures: { status: number; body: string }[] = []
  readonly #server: Server

  constructor() {
    this.#server = createServer(async (req, res) => {
      let body = ''
      for await (const chunk of req) body += chunk
      this.requests++

      const failure = this.#failures.shift()
      if (failure) {
        res.writeHead(failure.status, { 'content-type': 'application/json' }).end(failure.body)
        return
      }
      this.bodies.push(body)
      this.contentTypes.push(req.headers['content-type'] ?? '')
      res.writeHead(202).end('{}')
    })
  }

  async listen(port = 0): Promise<string> {
    this.#server.listen(port, '127.0.0.1')
    await once(this.#server, 'listening')
    const address = this.#server.address() as AddressInfo
    return `http://127.0.0.1:${address.port}/api/v1/events/asterisk`
  }

  failNext(count: number, status = 503, body = '{"error":"event store unavailable"}') {
    for (let i = 0; i < count; i++) this.#failures.push({ status, body })
  }

  get lines(): string[] {
    return this.bodies.flatMap((body) => body.split('\n').filter((line) => line !== ''))
  }

  async close() {
    this.#server.closeAllConnections()
    this.#server.close()
  }
}

const line = (n: number) =>
  `${1_700_000_000 + n}|${1_700_000_000 + n}.${n}|Sales|NONE|ENTERQUEUE||1380000${n}|1`
const lines = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => line(from + i))
const text = (from: number, to: number) => lines(from, to).join('\n') + '\n'

let dir: string
let path: string
let receiver: Receiver
let url: string
const running: { stop: AbortController; done: Promise<void> }[] = []

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callboard-tail-'))
  path = join(dir, 'queue_log')
  receiver = new Receiver()
  url = await receiver.listen()
})

afterEach(async () => {
  for (const tail of running.splice(0)) {
    tail.stop.abort()
    await tail.done.catch(() => {})
  }
  await receiver.close()
  await rm(dir, { recursive: true, force: true })
})

function start(opts: Partial<TailOptions> = {}) {
  const stop = new AbortController()
  const done = runTail({
    path,
    url,
    pollMs: 20,
    retryMinMs: 10,
    retryMaxMs: 50,
    logger: silentLogger(),
    signal: stop.signal,
    ...opts,
  })
  const tail = { stop, done }
  running.push(tail)
  return tail
}

async function stopTail(tail: { stop: AbortController; done: Promise<void> }) {
  tail.stop.abort()
  await tail.done
}

async function until(condition: () => boolean, timeoutMs = 3000) {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`)
    await sleep(10)
  }
}

/** Long enough for several polls, to show that nothing more arrives. */
const quietPeriod = () => sleep(150)

describe('runTail', () => {
  it('delivers appended lines once, in order, as text/plain batches', async () => {
    await writeFile(path, text(1, 4))
    start({ batchLines: 3 })

    await until(() => receiver.lines.length === 4)
    await appendFile(path, text(5, 9))
    await until(() => receiver.lines.length === 9)
    await quietPeriod()

    expect(receiver.lines).toEqual(lines(1, 9))
    expect(receiver.bodies.every((body) => body.split('\n').length - 1 <= 3)).toBe(true)
    expect(receiver.contentTypes[0]).toMatch(/^text\/plain/)
  })

  it('holds back a partial last line until it is completed', async () => {
    await writeFile(path, `${line(1)}\n${line(2).slice(0, 20)}`)
    start()

    await until(() => receiver.lines.length === 1)
    await quietPeriod()
    expect(receiver.lines).toEqual([line(1)])

    await appendFile(path, `${line(2).slice(20)}\n`)
    await until(() => receiver.lines.length === 2)
    expect(receiver.lines).toEqual(lines(1, 2))
  })

  it('loses nothing across a rotation, reading the old file to its end first', async () => {
    await writeFile(path, text(1, 3))
    start()
    await until(() => receiver.lines.length === 3)

    // logrotate renames the file; the writer keeps its old descriptor for a while.
    await rename(path, `${path}.1`)
    await appendFile(`${path}.1`, text(4, 5))
    await writeFile(path, text(6, 8))

    await until(() => receiver.lines.length === 8)
    await appendFile(path, text(9, 9))
    await until(() => receiver.lines.length === 9)
    expect(receiver.lines).toEqual(lines(1, 9))
  })

  it('waits through the gap while the rotated file has no successor yet', async () => {
    await writeFile(path, text(1, 2))
    start()
    await until(() => receiver.lines.length === 2)

    await rename(path, `${path}.1`)
    await quietPeriod()
    await writeFile(path, text(3, 4))

    await until(() => receiver.lines.length === 4)
    expect(receiver.lines).toEqual(lines(1, 4))
  })

  it('starts again from the beginning when the file is truncated', async () => {
    await writeFile(path, text(1, 5))
    start()
    await until(() => receiver.lines.length === 5)

    await writeFile(path, text(6, 7))

    await until(() => receiver.lines.length === 7)
    expect(receiver.lines).toEqual(lines(1, 7))
  })

  it('resumes from the state file without re-sending acknowledged lines', async () => {
    await writeFile(path, text(1, 3))
    const first = start()
    await until(() => receiver.lines.length === 3)
    await stopTail(first)

    const saved = JSON.parse(await readFile(`${path}.callboard-offset`, 'utf8'))
    expect(saved).toMatchObject({ offset: text(1, 3).length, inode: expect.any(Number) })

    await appendFile(path, text(4, 6))
    start()
    await until(() => receiver.lines.length === 6)
    await quietPeriod()

    expect(receiver.lines).toEqual(lines(1, 6))
  })

  it('finishes a file rotated while it was stopped before reading the new one', async () => {
    await writeFile(path, text(1, 3))
    const first = start()
    await until(() => receiver.lines.length === 3)
    await stopTail(first)

    // While stopped: more lines, logrotate's rename, a late write, then the new file.
    await appendFile(path, text(4, 5))
    await rename(path, `${path}.1`)
    await appendFile(`${path}.1`, text(6, 6))
    await writeFile(path, text(7, 8))

    start()
    await until(() => receiver.lines.length === 8)
    await quietPeriod()
    expect(receiver.lines).toEqual(lines(1, 8))
  })

  it('retries while the receiver fails and loses nothing', async () => {
    receiver.failNext(4)
    await writeFile(path, text(1, 5))
    start({ batchLines: 2 })

    await until(() => receiver.lines.length === 5)
    await quietPeriod()

    expect(receiver.requests).toBe(4 + 3)
    expect(receiver.lines).toEqual(lines(1, 5))
  })

  it('retries while nothing listens at the url, then delivers', async () => {
    await writeFile(path, text(1, 2))
    const port = Number(new URL(url).port)
    await receiver.close()

    start()
    await quietPeriod()
    expect(JSON.parse(await readFile(`${path}.callboard-offset`, 'utf8')).offset).toBe(0)

    receiver = new Receiver()
    await receiver.listen(port)
    await until(() => receiver.lines.length === 2)
    expect(receiver.lines).toEqual(lines(1, 2))
  })

  it('stops with an error naming the refused line instead of skipping it', async () => {
    receiver.failNext(1, 400, '{"error":"line 2, field waittime: expected seconds","line":2}')
    await writeFile(path, text(1, 3))
    const tail = start()

    const error = await tail.done.then(
      () => undefined,
      (err: Error) => err,
    )

    expect(error).toBeInstanceOf(TailRejectedError)
    expect(error?.message).toContain('line 2, field waittime: expected seconds')
    expect(error?.message).toContain(line(2))
    const saved = JSON.parse(await readFile(`${path}.callboard-offset`, 'utf8'))
    expect(saved.offset).toBe(0)
  })

  it('stops when the server finds a batch too large, since resending cannot succeed', async () => {
    receiver.failNext(1, 413, '{"error":"body larger than 1024 bytes; send it in batches"}')
    await writeFile(path, text(1, 3))
    const tail = start()

    await expect(tail.done).rejects.toThrow(/refused 3 lines as too large.*Lower batchLines/)
  })
})
