/**
 * What PUT /api/v1/settings answers a newcomer, against a real server and Redis: a body
 * that is not JSON, unknown keys, a missing field and an empty queue name each named in
 * words; and a save that changes nothing writes nothing.
 */
import { describe, expect, it } from 'vitest'
import type { StoredSettings } from '../../../shared/settings.ts'
import { caller, makeToken } from '../../helpers/api.ts'
import { ADMIN_TOKEN, serversPerTest, withAuth } from '../../helpers/test-server.ts'

const startServer = serversPerTest()

interface Refusal {
  error: string
  field: string
  errors: { field: string; message: string }[]
}

const TOP_KEYS = 'site, defaults, queues, version'
const ROW_KEYS = 'thresholdSeconds, targetPercent, variant, shortAbandonSeconds'

describe('settings answers', () => {
  it('says the body is not JSON, and on which line the parser stopped', async () => {
    const server = await startServer()
    const anyone = caller(server.url)

    const prose = await anyone<Refusal>('PUT', '/api/v1/settings', 'hello')
    expect(prose.status).toBe(400)
    // Node 20's JSON.parse names the token it met, not a place; the text has one line.
    const message =
      'the body is not valid JSON (line 1): ' + `Unexpected token 'h', "hello" is not valid JSON`
    expect(prose.body).toEqual({
      error: `field body: ${message}`,
      field: 'body',
      errors: [{ field: 'body', message }],
    })

    // After the comma on line 3 the parser wants a name and meets "}": offset 2 + 14 + 21 = 37
    // ("{\n", '"defaults": {\n', '"targetPercent": 80,\n'), the first character of line 4.
    const trailing = '{\n"defaults": {\n"targetPercent": 80,\n}}'
    const cut = await anyone<Refusal>('PUT', '/api/v1/settings', trailing)
    expect(cut.body.error).toBe(
      'field body: the body is not valid JSON (line 4): ' +
        'Expected double-quoted property name in JSON at position 37',
    )

    const empty = await anyone<Refusal>('PUT', '/api/v1/settings', ' ')
    expect(empty.body.error).toBe(
      'field body: the body is empty; expected a settings document as JSON',
    )
  })

  it('names unknown keys, missing fields and empty queue names as fields', async () => {
    const server = await startServer()
    const anyone = caller(server.url)
    const { version: _version, ...settings } = (
      await anyone<StoredSettings>('GET', '/api/v1/settings')
    ).body
    const { targetPercent: _target, ...noTarget } = settings.defaults

    const wrong = await anyone<Refusal>('PUT', '/api/v1/settings', {
      ...settings,
      extra: true,
      queues: {
        Sales: { ...settings.defaults, colour: 'red' },
        Support: noTarget,
        '': settings.defaults,
      },
    })
    expect(wrong.status).toBe(400)
    // zod walks the document in order: the queue rows, then the top level's unknown key;
    // `version` (the one a form was made on) is the one key a PUT adds to the document.
    expect(wrong.body).toEqual({
      error: `field queues.Sales.colour: unknown field; expected only ${ROW_KEYS}`,
      field: 'queues.Sales.colour',
      errors: [
        {
          field: 'queues.Sales.colour',
          message: `unknown field; expected only ${ROW_KEYS}`,
        },
        {
          field: 'queues.Support.targetPercent',
          message: 'required but missing; expected a percentage such as 80',
        },
        { field: 'queues', message: 'the queue name must not be empty' },
        { field: 'extra', message: `unknown field; expected only ${TOP_KEYS}` },
      ],
    })

    // Nothing was stored.
    const after = await anyone<StoredSettings>('GET', '/api/v1/settings')
    expect(after.body).toEqual({ ...settings, version: 0 })
  })

  it('writes nothing when nothing changed, so no other admin meets a 409', async () => {
    const server = await startServer()
    const admin = caller(server.url)
    const start = (await admin<StoredSettings>('GET', '/api/v1/settings')).body

    // One real change: version 0 → 1, one audit entry.
    const change = { ...start, defaults: { ...start.defaults, targetPercent: 90 } }
    const saved = await admin<StoredSettings>('PUT', '/api/v1/settings', change)
    expect([saved.status, saved.body.version]).toEqual([200, 1])

    // Both admins open the form at version 1; the first saves it as it is.
    const same = await admin<StoredSettings>('PUT', '/api/v1/settings', saved.body)
    expect(same.status).toBe(200)
    expect(same.body).toEqual({ ...saved.body, unchanged: true })

    // Still version 1, one audit entry, one version in the history.
    const audit = await admin<{ entries: unknown[] }>('GET', '/api/v1/settings/audit')
    expect(audit.body.entries).toHaveLength(1)
    expect(await server.redis.hlen(server.keys.settingsHistory)).toBe(1)
    expect((await admin<StoredSettings>('GET', '/api/v1/settings')).body.version).toBe(1)

    // The second admin's change, made on version 1, goes through.
    const other = { ...saved.body, defaults: { ...saved.body.defaults, targetPercent: 85 } }
    const second = await admin<StoredSettings>('PUT', '/api/v1/settings', other)
    expect([second.status, second.body.version]).toEqual([200, 2])
  })

  it('shows the audit to admins only, as the roles table says', async () => {
    const server = await startServer(withAuth())
    const admin = caller(server.url, ADMIN_TOKEN)
    const spec = { name: 'floor lead', role: 'supervisor' }
    const supervisor = caller(server.url, await makeToken(admin, spec))

    expect((await supervisor('GET', '/api/v1/settings')).status).toBe(200)
    expect((await supervisor('GET', '/api/v1/settings/audit')).status).toBe(403)
    expect((await admin('GET', '/api/v1/settings/audit')).status).toBe(200)
  })
})
