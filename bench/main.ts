/**
 * `npm run bench`: measures callboard against the targets of issue 7 and prints a table,
 * writing every number to bench/results.json. Each section runs its server in a child
 * process and its clients in another, against the test Redis under a key prefix of its
 * own that is deleted afterwards.
 *
 *   npm run bench                      every section, full size (a few minutes on 2 cores)
 *   npm run bench -- latency rebuild   only these sections
 *   npm run bench -- --quick           smaller sizes, to try the bench itself
 */
import { writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { CHROMIUM_PATH } from '../test/helpers/chromium.ts'
import { openBenchRedis, redisVersion, type BenchRedis } from './bench-redis.ts'
import { measureBundle } from './bundle.ts'
import { benchCluster } from './cluster.ts'
import { measureCosts } from './costs.ts'
import { benchFanout } from './fanout.ts'
import { benchIngest } from './ingest.ts'
import { benchLatency } from './latency.ts'
import { describeMachine, loadAverage } from './machine.ts'
import { benchRebuild } from './rebuild.ts'
import { costsMarkdown, markdown, rows, type Results } from './table.ts'
import { benchWall } from './wall.ts'
import { benchWindowCost } from './window-cost.ts'

const WEB_DIR = fileURLToPath(new URL('../dist/web', import.meta.url))
const RESULTS_FILE = fileURLToPath(new URL('./results.json', import.meta.url))

type Section = (redis: BenchRedis, quick: boolean) => Promise<Partial<Results>>

/** What the ingest sections post: the same calls to one process or to two. */
function ingestLoad(quick: boolean) {
  return { calls: quick ? 20_000 : 100_000, queues: 30, eventsPerRequest: 5000, concurrency: 4 }
}

/** In the order they run: the cheap ones first. */
const SECTIONS: Record<string, Section> = {
  bundle: async () => ({ bundle: await measureBundle(WEB_DIR) }),
  window: async (_redis, quick) => ({
    windowCost: benchWindowCost({
      dayCalls: quick ? 20_000 : 100_000,
      measured: quick ? 2000 : 10_000,
      queues: 30,
    }),
  }),
  wall: async (redis, quick) => ({
    wall: await benchWall(redis, {
      queues: 30,
      agents: 300,
      updatesPerS: 4,
      seconds: quick ? 5 : 12,
    }),
  }),
  costs: async (redis, quick) => ({ costs: await measureCosts(redis, quick ? 10_000 : 40_000) }),
  ingest: async (redis, quick) => ({ ingest: await benchIngest(redis, ingestLoad(quick)) }),
  cluster: async (redis, quick) => ({ cluster: await benchCluster(redis, ingestLoad(quick)) }),
  latency: async (redis, quick) => ({
    latency: await benchLatency(redis, {
      clients: 1000,
      eventsPerS: 2000,
      seconds: quick ? 5 : 20,
      queues: 30,
    }),
  }),
  fanout: async (redis, quick) => ({
    fanout: await benchFanout(redis, { clients: quick ? 2000 : 10_000, pushes: 5 }),
  }),
  rebuild: async (redis, quick) => ({
    rebuild: await benchRebuild(redis, { events: quick ? 200_000 : 1_000_000, queues: 30 }),
  }),
}

async function main(args: string[]): Promise<number> {
  const quick = args.includes('--quick')
  const asked = args.filter((arg) => !arg.startsWith('--'))
  const unknown = asked.filter((name) => SECTIONS[name] === undefined)
  if (unknown.length > 0) {
    console.error(
      `unknown section ${unknown.join(', ')}; known: ${Object.keys(SECTIONS).join(', ')}`,
    )
    return 2
  }

  const loadAtStart = loadAverage()
  if (loadAtStart > 0.5) {
    process.stderr.write(`bench: load average ${loadAtStart}: other work will slow the numbers\n`)
  }
  const redis = await openBenchRedis()
  const started = performance.now()
  const results: Results = {}
  const errors: Record<string, string> = {}

  try {
    for (const [name, section] of Object.entries(SECTIONS)) {
      if (asked.length > 0 && !asked.includes(name)) continue
      const sectionStarted = performance.now()
      process.stderr.write(`bench: ${name} … `)

      try {
        Object.assign(results, await section(redis, quick))
        process.stderr.write(`${((performance.now() - sectionStarted) / 1000).toFixed(0)} s\n`)
      } catch (error) {
        errors[name] = error instanceof Error ? (error.stack ?? error.message) : String(error)
        process.stderr.write(`failed\n${errors[name]}\n`)
      }
    }

    const machine = describeMachine(
      await redisVersion(redis.client),
      await chromiumVersion(),
      loadAtStart,
    )
    const table = rows(results)
    const seconds = Math.round((performance.now() - started) / 1000)
    const report = {
      date: new Date().toISOString(),
      quick,
      seconds,
      machine,
      results,
      errors,
      table,
    }
    await writeFile(RESULTS_FILE, JSON.stringify(report, null, 2) + '\n')

    console.log(markdown(table))
    if (results.costs) console.log(`\n${costsMarkdown(results.costs)}`)
    console.log(
      `\n${machine.cores} cores, ${machine.cpu}, ${machine.memoryGb} GB, Node ${machine.node}, ` +
        `Redis ${machine.redis}, Chromium ${machine.chromium ?? 'not found'}; ` +
        `load average ${loadAtStart} at start; ${seconds} s. ` +
        `Every number: ${RESULTS_FILE}`,
    )
    return Object.keys(errors).length > 0 ? 1 : 0
  } finally {
    await redis.cleanup()
  }
}

async function chromiumVersion(): Promise<string | null> {
  try {
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox'] })
    const version = browser.version()
    await browser.close()
    return version
  } catch {
    return null
  }
}

process.exitCode = await main(process.argv.slice(2))
