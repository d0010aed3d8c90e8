/**
 * `callboard tail`: follows a live Asterisk queue_log and posts each new complete line to
 * the ingest endpoint. The byte offset is saved only after the server acknowledged a batch,
 * so a crash re-sends at most one batch, which the server drops as duplicates.
 */
import type { Stats } from 'node:fs'
import type { FileHandle } from 'node:fs/promises'
import type { Logger } from '../logger.ts'
import {
  findByInode,
  loadPosition,
  openIfExists,
  readBatch,
  savePosition,
  statIfExists,
  type Batch,
  type Position,
} from './tail-file.ts'
import { backoffMs, pause, postLines } from './tail-post.ts'

export interface TailOptions {
  /** The queue_log being written, e.g. /var/log/asterisk/queue_log. */
  path: string
  /** Full ingest URL, e.g. http://host:8300/api/v1/events/asterisk. */
  url: string
  /** An ingest token, sent as `Authorization: Bearer`; none while the server asks for none. */
  token?: string
  /** Where the acknowledged position is kept. @default `${path}.callboard-offset` */
  statePath?: string
  /** How often the file is checked for growth, rotation and truncation. @default 500 */
  pollMs?: number
  /** Most lines in one request; the server refuses bodies over its size limit. @default 500 */
  batchLines?: number
  /** First retry delay after a failed post; doubles up to retryMaxMs. @default 500 */
  retryMinMs?: number
  /** @default 30000 */
  retryMaxMs?: number
  logger: Logger
  /** Stops the tail; runTail then resolves. */
  signal?: AbortSignal
}

/** The server refused a line as malformed (or a batch as too large); skipping would lose data. */
export class TailRejectedError extends Error {
  override readonly name = 'TailRejectedError'
}

const DEFAULTS = { pollMs: 500, batchLines: 500, retryMinMs: 500, retryMaxMs: 30_000 }

interface Source extends Position {
  handle: FileHandle
}

type Settings = Required<Omit<TailOptions, 'signal'>> & Pick<TailOptions, 'signal'>

/**
 * Follows `path` until `signal` aborts, then resolves. Throws TailRejectedError when the
 * server answers 400 to a line: the caller should exit non-zero.
 */
export async function runTail(opts: TailOptions): Promise<void> {
  const tail = new Tail(opts)

  try {
    await tail.run()
  } finally {
    await tail.close()
  }
}

class Tail {
  readonly #settings: Settings
  readonly #log: Logger
  /** What the server has acknowledged, as saved in the state file. */
  #acked: Position | undefined
  #source: Source | undefined
  #warnedMissing = false

  constructor(opts: TailOptions) {
    const given = Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined))
    const statePath = `${opts.path}.callboard-offset`
    this.#settings = { ...DEFAULTS, statePath, ...given } as Settings
    this.#log = opts.logger.child({ component: 'tail' })
  }

  async run() {
    const { path, url, statePath, signal, pollMs } = this.#settings
    this.#acked = await loadPosition(statePath)
    const resumeFrom = this.#acked
    this.#log.info({ event: 'tail_started', path, url, statePath, resumeFrom }, 'tailing')

    while (!signal?.aborted) {
      const progressed = await this.#step()
      if (!progressed) await pause(pollMs, signal)
    }
  }

  async close() {
    await this.#source?.handle.close()
    this.#source = undefined
  }

  /** One look at the file; true when there may be more to do at once. */
  async #step(): Promise<boolean> {
    // Taken before the old file is read, so that whatever the writer put there before it
    // moved to the new file is read before we switch.
    const atPath = await statIfExists(this.#settings.path)

    if (!this.#source) {
      const rotated = await this.#rotatedWhileStopped(atPath)
      const handle = rotated ?? (atPath && (await openIfExists(this.#settings.path)))
      if (!handle) return this.#missing()
      await this.#use(handle, this.#acked)
      return true
    }

    const source = this.#source
    const { size } = await source.handle.stat()
    if (size < source.offset) {
      this.#log.warn({ event: 'tail_truncated', size, offset: source.offset }, 'file truncated')
      await this.#acknowledge(0)
      return true
    }

    const batch = await readBatch(source.handle, source.offset, size, this.#settings.batchLines)
    if (batch) {
      const delivered = batch.lines.length === 0 || (await this.#deliver(batch))
      if (delivered) await this.#acknowledge(batch.end)
      return delivered
    }

    // A new file at the path that has data means the writer has moved on for good.
    if (atPath && atPath.ino !== source.inode && atPath.size > 0) {
      // It may be renamed away again before we open it; then the next look tries again.
      const handle = await openIfExists(this.#settings.path)
      if (!handle) return false

      const unfinishedBytes = size - source.offset
      const moved = { from: source.inode, to: atPath.ino, unfinishedBytes }
      this.#log.info({ event: 'tail_rotated', ...moved }, 'file rotated')
      await this.close()
      await this.#use(handle, undefined)
      return true
    }

    return false
  }

  /**
   * The file we were reading when stopped, if logrotate has since renamed it beside the
   * path (queue_log.1, queue_log-20261203): its unread end is sent before the new file.
   */
  async #rotatedWhileStopped(atPath: Stats | undefined): Promise<FileHandle | undefined> {
    const acked = this.#acked
    if (acked === undefined || atPath?.ino === acked.inode) return undefined

    const found = await findByInode(this.#settings.path, acked.inode)
    if (found === undefined) return undefined

    this.#log.info({ event: 'tail_resumed_rotated', file: found.path }, 'finishing rotated file')
    return found.handle
  }

  #missing(): false {
    if (!this.#warnedMissing) {
      const path = this.#settings.path
      this.#log.warn({ event: 'tail_waiting', path }, 'file does not exist yet')
      this.#warnedMissing = true
    }
    return false
  }

  /** Reads from `handle` from now on: where `resume` says if it is the same file, else from 0. */
  async #use(handle: FileHandle, resume: Position | undefined) {
    const { ino, size } = await handle.stat()
    let offset = 0

    if (resume?.inode === ino && resume.offset <= size) {
      offset = resume.offset
    } else if (resume?.inode === ino) {
      this.#log.warn({ event: 'tail_truncated', size, offset: resume.offset }, 'file truncated')
    } else if (resume) {
      // The old file was not found beside the path (moved elsewhere or compressed).
      const moved = { from: resume.inode, to: ino }
      this.#log.warn({ event: 'tail_rotated', ...moved }, 'file rotated while stopped')
    }

    this.#source = { handle, inode: ino, offset }
    await this.#acknowledge(offset)
  }

  async #acknowledge(offset: number) {
    const source = this.#source
    if (!source) return

    source.offset = offset
    this.#acked = { inode: source.inode, offset }
    await savePosition(this.#settings.statePath, this.#acked)
  }

  /** Posts until a 2xx; false only when stopped first. */
  async #deliver(batch: Batch): Promise<boolean> {
    const { url, token, signal, retryMinMs, retryMaxMs } = this.#settings

    for (let attempt = 1; !signal?.aborted; attempt++) {
      const failure = await postLines(url, batch.lines, { token, signal })
      if (failure === undefined) return true
      if (signal?.aborted) return false

      // A wrong or revoked token stays wrong: retrying would only knock on the door.
      if (failure.status === 401 || failure.status === 403) {
        this.#log.error({ event: 'tail_refused', error: failure.message }, 'token refused')
        throw new TailRejectedError(
          `the server refused the token: ${failure.message}. ` +
            'Give an ingest token with --token-file (callboard token create --role ingest).',
        )
      }

      if (failure.status === 400) {
        const where = `${this.#settings.path} (bytes ${batch.start}–${batch.end})`
        const line = failure.line === undefined ? undefined : batch.lines[failure.line - 1]
        const refused = { event: 'tail_rejected', where, error: failure.message, line }
        this.#log.error(refused, 'the server refused a line; stopping')
        throw new TailRejectedError(
          `the server refused a line of ${where}: ${failure.message}` +
            (line === undefined ? '' : `\n  ${line}`) +
            '\nCorrect or remove that line, then start the tail again.',
        )
      }

      const lines = batch.lines.length
      // Sending the same batch again cannot help; only a smaller one would.
      if (failure.status === 413) {
        this.#log.error(
          { event: 'tail_rejected', lines, error: failure.message },
          'batch too large',
        )
        throw new TailRejectedError(
          `the server refused ${lines} lines as too large: ${failure.message}. ` +
            'Lower batchLines or raise the server limit (CALLBOARD_MAX_BODY_BYTES).',
        )
      }

      const delayMs = backoffMs(attempt, retryMinMs, retryMaxMs)
      const { status, message: error } = failure
      const failed = { event: 'tail_post_failed', attempt, delayMs, lines, status, error }
      this.#log.warn(failed, 'post failed; retrying')
      await pause(delayMs, signal)
    }
    return false
  }
}
