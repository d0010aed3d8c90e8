/**
 * The routes' 400s in words, against a real server and Redis: what was expected and what
 * was seen, never zod's own phrasing ("Invalid option: expected one of "today"|…").
 */
import { describe, expect, it } from 'vitest'
import { caller } from '../../helpers/api.ts'
import { serversPerTest } from '../../helpers/test-server.ts'

const startServer = serversPerTest()

const WINDOWS = '"today", "interval", "15m", "30m" or "60m"'

const RULE_KEYS = [
  'activities',
  'exceptionSeconds',
  'adherenceAlertMinutes',
  'workingOutsideShiftIsException',
  'notReadyLimitMinutes',
  'notReadyLimitByReason',
  'wrapReasons',
  'outboundIsHandle',
].join(', ')

describe('error answers in words', () => {
  it('says which query values are allowed, and which was seen', async () => {
    const server = await startServer()
    const anyone = caller(server.url)

    const window = await anyone('GET', '/api/v1/snapshot?window=2h')
    expect([window.status, window.body]).toEqual([
      400,
      {
        error: `field window: expected one of ${WINDOWS}; got "2h"`,
        field: 'window',
      },
    ])

    // "abc" is no number at all: the text sent is quoted, not the NaN it became.
    const limit = await anyone('GET', '/api/v1/calls?queue=Sales&limit=abc')
    expect(limit.body).toEqual({
      error: 'field limit: expected a number; got "abc"',
      field: 'limit',
    })
  })

  it('names every wrong field of a token request', async () => {
    const server = await startServer()
    const made = await caller(server.url)('POST', '/api/v1/tokens', { role: 'boss', colour: 1 })

    const roles = 'expected one of "ingest", "viewer", "supervisor" or "admin", got "boss"'
    expect([made.status, made.body]).toEqual([
      400,
      {
        error: `field role: ${roles}`,
        field: 'role',
        errors: [
          { field: 'role', message: roles },
          { field: 'name', message: 'required but missing; expected text' },
          { field: 'colour', message: 'unknown field; expected only role, name, queues, teams' },
        ],
      },
    ])
  })

  it('names an unknown key of an agent upload as its field', async () => {
    const server = await startServer()
    const admin = caller(server.url)

    const teams = await admin('PUT', '/api/v1/teams', [{ id: 'north', name: 'North', x: 1 }])
    expect(teams.body).toEqual({
      error: 'row 1, field x: unknown field; expected only id, name, leader',
      errors: [{ row: 1, field: 'x', reason: 'unknown field; expected only id, name, leader' }],
    })

    const rules = await admin('PUT', '/api/v1/agent-rules', { exceptionSeconds: 60, wrapUp: 1 })
    expect(rules.body).toEqual({
      error: `field wrapUp: unknown field; expected only ${RULE_KEYS}`,
      errors: [{ field: 'wrapUp', reason: `unknown field; expected only ${RULE_KEYS}` }],
    })
  })
})
