/**
 * The `callboard` command: serve, demo, report and tail.
 */
import { runDemo } from './demo.ts'
import { runReportCommand } from './report-command.ts'
import { runServe } from './serve.ts'
import { runTailCommand } from './tail-command.ts'
import { runTokenCommand } from './token-command.ts'

const USAGE = `Usage: callboard <command> [options]

Commands:
  serve                      run the server (configured by environment, see README)
  demo [--replay FILE] [--speed N] [--seed N]
                             run the server with simulated traffic, or replay a queue_log
  report FILE [--format asterisk|csv|json] [--tz ZONE] [--threshold 20] [--interval 30]
         [--day-start HH:MM] [--json]
                             print the daily interval report of a file
  tail PATH --url URL [--state FILE] [--token-file FILE]
                             follow a live Asterisk queue_log and post it to a server
  token create --role ROLE [--name NAME] [--queues A,B] [--teams T]
  token list | token revoke ID
                             access tokens, straight in Redis (the first admin token)`

const commands: Record<string, (args: string[]) => Promise<number>> = {
  serve: runServe,
  demo: runDemo,
  report: runReportCommand,
  tail: runTailCommand,
  token: runTokenCommand,
}

const [name, ...rest] = process.argv.slice(2)

if (rest.includes('--help') || rest.includes('-h')) {
  console.log(USAGE)
  process.exit(0)
}
const command = name === undefined ? undefined : commands[name]

if (command === undefined) {
  const helpAsked = name === undefined || name === 'help' || name === '--help' || name === '-h'
  ;(helpAsked ? console.log : console.error)(USAGE)
  process.exit(helpAsked ? 0 : 2)
}

try {
  process.exitCode = await command(rest)
} catch (error) {
  console.error(`callboard ${name}: ${error instanceof Error ? error.message : String(error)}`)
  // Connections and timers opened before the failure would otherwise keep the process up.
  process.exit(1)
}
