import { describe, expect, it } from 'vitest'
import { TimeBuckets } from '../../../server/engine/bucket-series.ts'

/** One counter per bucket, so that a sum says exactly which buckets it added. */
const counter = () => ({ n: 0 })
const add = (into: { n: number }, from: { n: number }) => (into.n += from.n)

/** The sum of a range by walking every event ever added: what a read must equal. */
function naive(events: { ts: number; n: number }[], width: number, start: number, end: number) {
  const first = Math.ceil(start / width)
  const last = Math.floor(end / width)
  return events
    .filter(({ ts }) => Math.floor(ts / width) >= first && Math.floor(ts / width) <= last)
    .reduce((sum, { n }) => sum + n, 0)
}

describe('TimeBuckets', () => {
  it('reads the same sums as adding every bucket, through late events and moving windows', () => {
    const width = 60_000
    const buckets = new TimeBuckets(width, counter, add)
    const events: { ts: number; n: number }[] = []
    let seed = 7
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647

    for (let now = 0; now < 6 * 3600_000; now += 7_000) {
      // Mostly now, sometimes up to an hour late; reads of a day, 15 and 60 minutes.
      const ts = random() < 0.9 ? now : Math.max(0, now - Math.floor(random() * 3600_000))
      const n = 1 + Math.floor(random() * 5)
      buckets.at(ts).n += n
      events.push({ ts, n })

      for (const start of [0, now - 15 * 60_000, now - 60 * 60_000]) {
        const read = buckets.sumInto(counter(), start, now).n
        expect(read).toBe(naive(events, width, start, now))
      }
    }
  })

  it('leaves pruned buckets out of a kept sum', () => {
    const buckets = new TimeBuckets(1000, counter, add)
    for (let ts = 0; ts < 10_000; ts += 1000) buckets.at(ts).n += 1

    expect(buckets.sumInto(counter(), 0, 9_500).n).toBe(10)
    buckets.prune(5000)
    expect(buckets.sumInto(counter(), 0, 9_500).n).toBe(5)
  })
})
