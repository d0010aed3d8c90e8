/**
 * The file side of `tail.ts`: reading complete lines from a byte offset, and the state
 * file that remembers the acknowledged offset across restarts.
 */
import type { Stats } from 'node:fs'
import { open, readdir, readFile, rename, stat, writeFile, type FileHandle } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/** Where the server's acknowledgement reached: a file (by inode) and a byte offset in it. */
export interface Position {
  inode: number
  offset: number
}

/** Complete lines (blank ones dropped) and the bytes they came from. */
export interface Batch {
  lines: string[]
  start: number
  end: number
}

const FIRST_READ_BYTES = 256 * 1024
/** A queue_log line is a few hundred bytes; no line break in this many is not a queue_log. */
const MAX_LINE_BYTES = 4 * 1024 * 1024

/** Up to `maxLines` complete lines from `offset`; undefined while no line is complete. */
export async function readBatch(
  handle: FileHandle,
  offset: number,
  size: number,
  maxLines: number,
): Promise<Batch | undefined> {
  for (let want = FIRST_READ_BYTES; offset < size; want *= 2) {
    const buffer = Buffer.alloc(Math.min(want, size - offset))
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset)
    const end = endOfLines(buffer.subarray(0, bytesRead), maxLines)

    if (end > 0) {
      // end follows a newline byte, which never falls inside a UTF-8 sequence.
      const text = buffer.toString('utf8', 0, end)
      const lines = text.split('\n').filter((line) => line.trim() !== '')
      return { lines, start: offset, end: offset + end }
    }

    if (bytesRead < want) return undefined
    if (want >= MAX_LINE_BYTES) {
      throw new Error(`no line break in ${want} bytes at offset ${offset}: is this a queue_log?`)
    }
  }
  return undefined
}

/** Bytes up to and including the newline that ends the `maxLines`-th line, or the last one. */
function endOfLines(bytes: Buffer, maxLines: number): number {
  let end = 0

  for (let count = 0; count < maxLines; count++) {
    const newline = bytes.indexOf(10, end)
    if (newline === -1) break
    end = newline + 1
  }
  return end
}

export async function openIfExists(path: string): Promise<FileHandle | undefined> {
  return open(path, 'r').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined
    throw err
  })
}

export async function statIfExists(path: string): Promise<Stats | undefined> {
  return stat(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined
    throw err
  })
}

export async function loadPosition(statePath: string): Promise<Position | undefined> {
  const text = await readFile(statePath, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined
    throw err
  })
  if (text === undefined) return undefined

  const saved = JSON.parse(text) as Partial<Position>
  if (!Number.isSafeInteger(saved.inode) || !Number.isSafeInteger(saved.offset)) {
    throw new Error(`${statePath} is not a tail state file ({inode, offset}); delete it to restart`)
  }
  return saved as Position
}

/** Written beside and renamed over, so a crash never leaves half a state file. */
export async function savePosition(statePath: string, position: Position) {
  const temporary = `${statePath}.tmp`
  await writeFile(temporary, JSON.stringify(position))
  await rename(temporary, statePath)
}

/** A file beside `path`, named like it, that is the given inode: where a rotation put it. */
export async function findByInode(
  path: string,
  inode: number,
): Promise<{ path: string; handle: FileHandle } | undefined> {
  const dir = dirname(path)
  const names = await readdir(dir).catch(() => [] as string[])

  for (const name of names) {
    if (!name.startsWith(basename(path)) || name === basename(path)) continue

    const candidate = join(dir, name)
    const stats = await statIfExists(candidate)
    if (stats?.ino !== inode || !stats.isFile()) continue

    const handle = await openIfExists(candidate)
    if (handle !== undefined) return { path: candidate, handle }
  }
  return undefined
}
