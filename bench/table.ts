/**
 * The bench's results as rows of a Markdown table: what was measured, the result, the
 * target and whether it was met. The README's Performance section pastes this table.
 */
import type { BundleResult } from './bundle.ts'
import type { ClusterResult } from './cluster.ts'
import type { CostsResult } from './costs.ts'
import type { FanoutResult } from './fanout.ts'
import type { IngestResult } from './ingest.ts'
import type { LatencyResult } from './latency.ts'
import type { RebuildResult } from './rebuild.ts'
import type { WallResult } from './wall.ts'
import type { WindowCostResult } from './window-cost.ts'

export interface Results {
  costs?: CostsResult
  ingest?: IngestResult
  cluster?: ClusterResult
  latency?: LatencyResult
  fanout?: FanoutResult
  rebuild?: RebuildResult
  windowCost?: WindowCostResult
  wall?: WallResult
  bundle?: BundleResult
}

export interface Row {
  measure: string
  result: string
  target: string
  /** null when there is no target to meet. */
  met: boolean | null
}

const n = (value: number) => Math.round(value).toLocaleString('en-US')
const ms = (value: number) => `${value.toFixed(value < 10 ? 1 : 0)} ms`

export function rows(results: Results): Row[] {
  const out: Row[] = []
  const { ingest, cluster, latency, fanout, rebuild, windowCost, wall, bundle } = results

  if (ingest) {
    out.push(
      row(
        'Ingest, queue_log over HTTP → figures',
        `${n(ingest.queueLogEventsPerS)} events/s`,
        '≥ 100,000',
        ingest.queueLogEventsPerS >= 100_000,
      ),
      row(
        'Ingest, NDJSON over HTTP → figures',
        `${n(ingest.ndjsonEventsPerS)} events/s`,
        '≥ 100,000',
        ingest.ndjsonEventsPerS >= 100_000,
      ),
      row(
        'Raw pipelined XADD from Node (ceiling)',
        `${n(ingest.xaddEventsPerS)} events/s`,
        '',
        null,
      ),
      row('Ingest ÷ XADD ceiling (slower format)', ingest.ratio.toFixed(2), '', null),
    )
  }
  if (cluster) {
    out.push(
      row(
        `Ingest, queue_log to ${cluster.processes} processes → figures on both`,
        `${n(cluster.eventsPerS)} events/s`,
        '',
        null,
      ),
      row(
        'Takeover: SIGKILL to the survivor counting every event again',
        `${(cluster.takeoverMs / 1000).toFixed(1)} s (leases ` +
          `${((cluster.takeoverMs - cluster.recountMs) / 1000).toFixed(1)} s, then a recount ` +
          `of ${n(cluster.recountEvents)} events: ${ms(cluster.recountMs)})`,
        '',
        null,
      ),
    )
  }
  if (latency) {
    const { p50, p99, max } = latency.latencyMs
    const load = `${n(latency.postedPerS)} events/s, ${n(latency.clients)} clients`
    out.push(
      row(
        `Event to glass, ${load} (p50 / p99 / max)`,
        `${ms(p50)} / ${ms(p99)} / ${ms(max)}`,
        'p99 ≤ 50 ms',
        p99 <= 50 && latency.missing === 0,
      ),
    )
  }
  if (fanout) {
    out.push(
      row(
        `Server memory per idle client, ${n(fanout.clients)} clients`,
        `${(fanout.bytesPerClient / 1024).toFixed(1)} KB`,
        '≤ 30 KB',
        fanout.bytesPerClient <= 30 * 1024,
      ),
      row(
        `One update to all ${n(fanout.clients)} clients (median of ${fanout.pushAllMs.length})`,
        ms(median(fanout.pushAllMs)),
        '',
        null,
      ),
    )
  }
  if (rebuild) {
    out.push(
      row(
        `Rebuild from ${n(rebuild.events)} events in the stream`,
        `${(rebuild.rebuildMs / 1000).toFixed(2)} s`,
        '≤ 5 s',
        rebuild.rebuildMs <= 5000,
      ),
    )
  }
  if (windowCost) {
    out.push(
      row(
        'Engine per event + read, today (24 h) vs 15 min',
        `${windowCost.todayUs} vs ${windowCost.fifteenMinUs} µs: ${windowCost.ratio.toFixed(2)}`,
        'ratio ≤ 1.2',
        windowCost.ratio <= 1.2,
      ),
    )
  }
  if (wall) {
    const load = `${wall.updatesPerS} updates/s`
    const frames = (what: string, f: { p50: number; p99: number; max: number }) =>
      row(
        `Wall frame work, ${what}, ${load} (p50 / p99 / max)`,
        `${ms(f.p50)} / ${ms(f.p99)} / ${ms(f.max)}`,
        '≤ 16 ms',
        f.p99 <= 16,
      )
    out.push(
      frames(`${wall.queues} queue tiles`, wall.tilesFrameMs),
      frames(`${wall.agents} agent cells`, wall.agentsFrameMs),
    )
  }
  if (bundle) {
    out.push(
      row(
        'Web JavaScript, every chunk, gzip',
        `${(bundle.jsGzipBytes / 1024).toFixed(1)} KB`,
        '≤ 150 KB',
        bundle.jsGzipBytes <= 150 * 1024,
      ),
    )
  }
  return out
}

export function markdown(table: Row[]): string {
  const lines = ['| Measure | Result | Target | Met |', '| --- | --- | --- | --- |']
  for (const r of table) {
    const met = r.met === null ? '' : r.met ? 'yes' : '**no**'
    lines.push(`| ${r.measure} | ${r.result} | ${r.target} | ${met} |`)
  }
  return lines.join('\n')
}

const STAGES: Record<keyof CostsResult['us'], string> = {
  parseQueueLog: 'queue_log text → canonical events (split, check, zod)',
  parseNdjson: 'NDJSON → canonical events (JSON.parse, zod)',
  idAndJson: 'event id (SHA-256 of the content) and JSON for the stream',
  redisAppend: 'Lua dedup + XADD, 5,000 per call (round trip, Redis included)',
  streamRead: 'XREAD, reply decoding and JSON.parse of each entry',
  queueEngine: 'queue engine: buckets, SL events, waiting calls',
  queueEngineElsewhere: 'queue engine, for a queue another process counts (skipped)',
  sendCopies: 'copies of the changed buckets for the other processes (one send per 100)',
  takeSends: 'another process takes those sends in (JSON.parse, zod, buckets set)',
  agentEngine: 'agent engine: states, time in state, adherence',
}

/** Where an event's time goes, stage by stage. */
export function costsMarkdown(costs: CostsResult): string {
  const lines = ['| Stage (one process) | µs per event |', '| --- | --- |']
  for (const [stage, label] of Object.entries(STAGES)) {
    lines.push(`| ${label} | ${costs.us[stage as keyof CostsResult['us']].toFixed(1)} |`)
  }
  return lines.join('\n')
}

function row(measure: string, result: string, target: string, met: boolean | null): Row {
  return { measure, result, target, met }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}
