import type { Browser, BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { caller, makeToken, type Caller } from '../helpers/api.ts'
import { launchChromium, watchConsole as watch } from '../helpers/chromium.ts'
import { ADMIN_TOKEN, startTestServer, withAuth, type TestServer } from '../helpers/test-server.ts'

// Issue 6, in Chromium: a screen gets its token once in the address (or by pairing at
// /pair), keeps it, shows only its scope, and every page of the built wall keeps to the
// content security policy the server sends.

function morning(): string {
  const t = Math.floor(Date.now() / 1000) - 300
  return [
    `${t}|a|Sales|NONE|ENTERQUEUE||1|1`,
    `${t + 5}|a|Sales|PJSIP/1001|CONNECT|5|x|1`,
    `${t + 10}|b|报修热线|NONE|ENTERQUEUE||2|1`,
    `${t + 50}|b|报修热线|Agent/1201|CONNECT|40|y|2`,
  ].join('\n')
}

const tile = (name: string) => `[data-testid="tile-${name}"]`

describe('a screen with a token, in Chromium', () => {
  let browser: Browser
  let server: TestServer
  let admin: Caller
  const contexts: BrowserContext[] = []

  const fresh = async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } })
    contexts.push(context)
    return context.newPage()
  }

  beforeAll(async () => {
    browser = await launchChromium()
    server = await startTestServer(withAuth())
    admin = caller(server.url, ADMIN_TOKEN)
    expect((await admin('POST', '/api/v1/events/asterisk', morning())).status).toBe(200)
  })
  afterAll(async () => {
    for (const context of contexts) await context.close()
    await browser?.close()
    await server?.cleanup()
  })

  it('takes ?token= once, keeps it, and shows only the token’s queues', async () => {
    const token = await makeToken(admin, { role: 'viewer', name: 'Sales TV', queues: ['Sales'] })
    const page = await fresh()
    const problems = watch(page)

    await page.goto(`${server.url}/?window=today&token=${token}`)
    await page.waitForSelector(`${tile('Sales')} [data-field="offered"][data-value="1"]`)
    expect(new URL(page.url()).search).toBe('?window=today')
    expect(await page.evaluate('localStorage.getItem("callboard.token")')).toBe(token)
    expect(await page.$(tile('报修热线'))).toBeNull()

    // Next morning, nobody types anything: the stored token opens the wall again.
    await page.reload()
    await page.waitForSelector('[data-testid="connection"][data-state="live"]')
    await page.goto(`${server.url}/agents`)
    await page.waitForSelector('[data-testid="connection"][data-state="live"]')
    expect(problems).toEqual([])
  }, 30_000)

  it('sends a screen without a token to /pair, and pairs it with a code', async () => {
    const page = await fresh()
    const problems = watch(page)

    await page.goto(`${server.url}/?window=today`)
    await page.waitForURL(/\/pair\?next=/)
    await page.fill('[data-testid="pair-code"]', 'WRONG-CODE')
    await page.click('[data-testid="pair-submit"]')
    await page.waitForSelector('[data-testid="pair-problem"]')

    const made = await admin<{ code: string }>('POST', '/api/v1/pairings', {
      name: 'Repairs TV',
      queues: ['报修热线'],
    })
    await page.fill('[data-testid="pair-code"]', made.body.code)
    await page.click('[data-testid="pair-submit"]')
    await page.waitForSelector(`${tile('报修热线')} [data-field="offered"][data-value="1"]`)

    console.log(`paired by code ${made.body.code}: the TV shows ${new URL(page.url()).pathname}`)
    expect(new URL(page.url()).search).toBe('?window=today')
    expect(await page.$(tile('Sales'))).toBeNull()
    // The browser logs the refused session (401) and the wrong code (404), and only those.
    expect(problems.filter((text) => !/status of (401|404)/.test(text))).toEqual([])
  }, 30_000)

  it('keeps the content security policy on every page of the built wall', async () => {
    const page = await fresh()
    const problems = watch(page)

    for (const path of ['/?window=today', '/agents', '/manage', '/pair']) {
      await page.goto(`${server.url}${path}${path.includes('?') ? '&' : '?'}token=${ADMIN_TOKEN}`)
      await page.waitForLoadState('networkidle')
    }
    const refused = problems.filter((text) => /Content Security Policy|Refused to/i.test(text))
    console.log(`CSP: 4 pages loaded, ${refused.length} refusals`)
    expect(refused).toEqual([])
  }, 30_000)
})
