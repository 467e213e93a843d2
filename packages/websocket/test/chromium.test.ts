/**
 * The chat example (examples/chat) in a real browser: Debian's headless Chromium, driven by puppeteer-core, opens
 * two pages; each connects with the browser's native `WebSocket` through the `$connect` Lambda REQUEST authorizer
 * (token in the query string); a message typed in one page goes through the `sendmessage` route, is broadcast
 * through the `@connections` API and shows in the other; closing a page runs `$disconnect`.
 * AWS sources: the chat sample this mirrors, https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-chat-app.html
 * (aws-samples/simple-websockets-chat-app); `$connect` authorization,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-lambda-auth.html.
 * Without /usr/bin/chromium the suite is skipped, or fails when `CI` is set (CI installs it).
 */
import { existsSync } from 'node:fs'
import puppeteer, { type Browser, type Page } from 'puppeteer-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ChatServer, startChat } from '../../../examples/chat/server'

// The page's `document`, for the functions puppeteer runs in the browser (this project compiles without the DOM lib).
declare const document: {
  body: { dataset: Record<string, string | undefined> }
  querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }> & Iterable<{ textContent: string | null }>
}

const CHROMIUM = '/usr/bin/chromium'
const available = existsSync(CHROMIUM)
// Background tabs get no animation frames: wait on DOM mutations instead of puppeteer's default rAF polling.
const MUTATION = { polling: 'mutation' as const }

describe.runIf(!available && process.env.CI)('chromium on CI', () => {
  it('is installed', () => {
    expect.fail(`${CHROMIUM} is missing: CI must install Debian's chromium`)
  })
})

describe.runIf(available)('chat example in headless Chromium', () => {
  let chat: ChatServer
  let browser: Browser

  beforeAll(async () => {
    chat = await startChat(0)
    browser = await puppeteer.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless=new'] })
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await chat?.close()
  })

  const join = async (name: string): Promise<Page> => {
    const page = await browser.newPage()
    await page.goto(`${chat.url}/?token=${name}`)
    await page.waitForFunction(() => document.body.dataset.state === 'open', MUTATION)
    return page
  }
  const lines = (page: Page) => page.$$eval('#log li', (items) => items.map((li) => li.textContent))

  it('a message sent in one page arrives in the other through sendmessage and @connections', async () => {
    const alice = await join('alice')
    const bob = await join('bob')
    // The page talks through the browser's own WebSocket, not a polyfill.
    expect(await alice.evaluate(() => Function.prototype.toString.call(WebSocket).includes('[native code]'))).toBe(true)
    expect(chat.api.connections.ids()).toHaveLength(2)

    // A background tab gets no animation frames, which puppeteer's click waits for: bring the sender to the front.
    await alice.bringToFront()
    await alice.type('#text', 'hello from alice')
    await alice.click('#send')
    await bob.waitForFunction(
      () => [...document.querySelectorAll('#log li')].some((li) => li.textContent === 'alice: hello from alice'),
      MUTATION,
    )
    expect(await bob.$eval('#status', (s) => s.textContent)).toBe('connected as bob')

    await bob.bringToFront()
    await bob.type('#text', 'hi alice')
    await bob.click('#send')
    await alice.waitForFunction(() => [...document.querySelectorAll('#log li')].some((li) => li.textContent === 'bob: hi alice'), MUTATION)
    expect(await lines(alice)).toEqual(['alice: hello from alice', 'bob: hi alice'])

    await bob.close()
    await alice.waitForFunction(() => [...document.querySelectorAll('#log li')].some((li) => li.textContent === 'bob left'), MUTATION)
    await alice.close()
  }, 60_000)

  it('without a token the authorizer refuses the upgrade and the page never opens', async () => {
    const page = await browser.newPage()
    await page.goto(`${chat.url}/`)
    await page.waitForFunction(() => document.body.dataset.state === 'closed', MUTATION)
    expect(await page.$eval('#status', (s) => s.textContent)).toContain('needs a token')
    await page.close()
  }, 60_000)
})
