/**
 * A stretch of past quarters read from the history, summed as the engine sums its own, so
 * a past day's report is built by the same code as today's.
 */
import type { Counters } from '../../shared/figures.ts'
import { QUARTER_MS, type TimeSettings } from '../../shared/windows.ts'
import { BucketSeries } from '../engine/bucket-series.ts'
import type { QuarterSource } from '../engine/report.ts'
import { ALL_QUEUES } from './history-codec.ts'
import type { QuarterRecord } from './history-store.ts'

export class HistoryDay implements QuarterSource {
  readonly settings: QuarterSource['settings']
  readonly #queues = new Map<string, BucketSeries>()

  /**
   * `figureRule` judges the stored counters: each queue's formula and target of today, the
   * same as the wall's, since the counters themselves keep the T and S they were counted by.
   */
  constructor(
    time: TimeSettings,
    records: readonly QuarterRecord[],
    figureRule?: QuarterSource['settings']['figureRule'],
  ) {
    this.settings = figureRule === undefined ? { time } : { time, figureRule }
    for (const { queue, start, counters } of records) {
      if (queue === ALL_QUEUES || counters === null) continue
      let series = this.#queues.get(queue)
      if (series === undefined) {
        series = new BucketSeries(QUARTER_MS)
        this.#queues.set(queue, series)
      }
      series.add(series.at(start), counters)
    }
  }

  /** Whether the history held anything for this stretch. */
  get isEmpty(): boolean {
    return this.#queues.size === 0
  }

  queueNames(): string[] {
    return [...this.#queues.keys()].sort()
  }

  sumQueue(into: Counters, queue: string, start: number, end: number): Counters {
    return this.#queues.get(queue)?.sumInto(into, start, end) ?? into
  }
}
