// The embed code in a real browser: a third-party website (another origin, served by this test on 127.0.0.1)
// pastes the assistant's script tag; a visitor opens the chat, asks a question, gets the answer from the
// knowledge base, and leaves their details. Debian's Chromium through playwright-core, nothing leaves the machine.
// Needs Debian's Chromium (.ci/run installs it).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { embedCode } from '../../domain/assistants/embed';
import { AdminClient } from '../admin/client';
import { startApp } from '../http/client';
import { assistantWorld } from './fixture';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const STEP_TIMEOUT = 10_000;

const w = assistantWorld();
let app: Awaited<ReturnType<typeof startApp>>;
let site: Server;
let siteUrl = '';
let browser: Browser;

beforeAll(async () => {
  app = await startApp(w.db);
  const assistant = w.assistants['acme/site']!;
  site = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><html><head><title>Acme shop</title></head><body><h1>Acme shop</h1>${embedCode(assistant.public_key, app.base)}</body></html>`);
  });
  await new Promise<void>((done) => site.listen(0, '127.0.0.1', done));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  await w.db.pool.query('UPDATE assistants SET allowed_origins = allowed_origins || $2::text[] WHERE id = $1', [assistant.id, [siteUrl]]);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((done) => (site ? site.close(() => done()) : done()));
  await app?.close();
});

it('a visitor chats with the assistant on another website and leaves their details', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.goto(siteUrl);
    // The widget renders in an open shadow root; playwright's CSS locators pierce it.
    await page.locator('button.btn').click({ timeout: STEP_TIMEOUT });
    await expect.poll(() => page.locator('.head span').textContent(), { timeout: STEP_TIMEOUT }).toBe(w.assistants['acme/site']!.name);
    await page.locator('form input[type="text"]').first().fill('What does the cordless hammer drill cost? I need a quote.');
    await page.locator('form button[type="submit"]').first().click();
    const answer = page.locator('.msg.assistant', { hasText: 'Hammer Drill' });
    await answer.waitFor({ timeout: STEP_TIMEOUT });
    expect(await answer.textContent()).toContain('189.00 USD');

    await page.locator('button.offer').click({ timeout: STEP_TIMEOUT });
    await page.locator('form.lead input[name="name"]').fill('Browser Visitor');
    await page.locator('form.lead input[name="email"]').fill('visitor@browser-test.example');
    await page.locator('form.lead input[name="company"]').fill('Browser Test GmbH');
    await page.locator('form.lead button[type="submit"]').click();
    await page.locator('.msg.assistant', { hasText: 'Thank you, Browser!' }).waitFor({ timeout: STEP_TIMEOUT });

    const visitorId = await page.evaluate((key) => localStorage.getItem(`epesi-visitor-${key}`), w.assistants['acme/site']!.public_key);
    const conversation = await w.one('SELECT id, lead_captured FROM assistant_conversations WHERE visitor_id = $1', [visitorId]);
    expect(conversation.lead_captured).toBe(true);
    expect(await w.one('SELECT email, company, lead_quality FROM assistant_prospects WHERE conversation_id = $1', [conversation.id])).toEqual({
      email: 'visitor@browser-test.example',
      company: 'Browser Test GmbH',
      lead_quality: 'hot',
    });
    expect((await w.one("SELECT source FROM leads WHERE email = 'visitor@browser-test.example'")).source).toBe('assistant');
    // ...and the lead is in the back office's lead list for the tenant's staff.
    const staff = new AdminClient(app.base);
    await staff.login('acme', 'admin');
    const listed = await staff.get('/resources/leads/actions/list?filters.email=visitor@browser-test.example');
    expect(listed.body.records.map((r: { params: { source: string } }) => r.params.source)).toEqual(['assistant']);

    // A reload shows the same conversation (the visitor id stays in localStorage).
    await page.reload();
    await page.locator('button.btn').click({ timeout: STEP_TIMEOUT });
    await page.locator('.msg.assistant', { hasText: 'Hammer Drill' }).waitFor({ timeout: STEP_TIMEOUT });
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
}, 60_000);
