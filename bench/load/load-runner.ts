/**
 * The bench's side of the load process: forks it and sends it commands over IPC.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { LoadCommand } from './load-process.ts'

const SCRIPT = fileURLToPath(new URL('./load-process.ts', import.meta.url))

interface Reply {
  requestId: number
  result?: unknown
  error?: string
}

export class LoadRunner {
  readonly #child: ChildProcess
  readonly #waiting = new Map<number, (reply: Reply) => void>()
  #nextId = 0

  /** `nodeArgs`: flags for node itself, e.g. --cpu-prof to profile the load side. */
  constructor(nodeArgs: string[] = []) {
    this.#child = fork(SCRIPT, { execArgv: ['--import', 'tsx', ...nodeArgs], stdio: 'inherit' })
    this.#child.on('message', (reply: Reply) => {
      this.#waiting.get(reply.requestId)?.(reply)
      this.#waiting.delete(reply.requestId)
    })
    this.#child.on('exit', (code) => {
      for (const answer of this.#waiting.values()) {
        answer({ requestId: 0, error: `load process exited (${code})` })
      }
    })
  }

  get pid(): number {
    return this.#child.pid ?? 0
  }

  async send<T>(command: LoadCommand): Promise<T> {
    const requestId = ++this.#nextId
    const reply = await new Promise<Reply>((resolve) => {
      this.#waiting.set(requestId, resolve)
      this.#child.send({ ...command, requestId })
    })

    if (reply.error !== undefined) throw new Error(`load process: ${reply.error}`)
    return reply.result as T
  }

  async close(): Promise<void> {
    if (this.#child.exitCode !== null) return
    const exited = new Promise((resolve) => this.#child.once('exit', resolve))
    this.#child.send({ cmd: 'close', requestId: 0 })
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))])
    this.#child.kill('SIGKILL')
  }
}
