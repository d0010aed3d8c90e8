/**
 * Structured logs: one JSON object per line, each with a stable `event` name and the
 * `component` that wrote it. Pass the logger down; nothing imports a global one.
 */
import { pino, type Logger } from 'pino'

export type { Logger }

export function createLogger(level = 'info', destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'callboard' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  )
}

/** A logger for tests and library use that writes nothing. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' })
}
