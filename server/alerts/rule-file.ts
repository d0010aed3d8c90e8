/**
 * Reads the alert rules file (CALLBOARD_ALERTS_FILE) once at start-up. A file that cannot
 * be read or does not check stops the server with the path and the field at fault.
 */
import { readFileSync } from 'node:fs'
import { ConfigError } from '../config.ts'
import { InputError } from '../errors.ts'
import { AlertFileSchema, parseAlertDocument, type AlertFile } from './alert-rules.ts'
import { buildRuleBook } from './rule-book.ts'

export function loadAlertFile(path: string | undefined, targetPercent: number): AlertFile {
  if (path === undefined) return {}

  const where = `CALLBOARD_ALERTS_FILE=${path}`
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new ConfigError(`${where}: cannot read it (${(error as Error).message})`)
  }

  try {
    const file = parseAlertDocument(AlertFileSchema, parseJson(text))
    // Checked whole now, so that a clear level on the wrong side stops start-up too.
    buildRuleBook(targetPercent, file, {})
    return file
  } catch (error) {
    if (error instanceof InputError) throw new ConfigError(`${where}: ${error.detail}`)
    throw error
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new InputError(`not valid JSON: ${(error as Error).message}`)
  }
}
