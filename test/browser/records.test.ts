// Records that read like a CRM, as people see them in Chromium: names instead of ids in every reference
// column, record pages headed by their title, a company's contacts and deals, a deal's activities and "Add
// activity" from there. Each step checked against the database.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { resourceOf } from '../../domain/resources';
import { BROWSER_TEST_TIMEOUT, expectHealthy, fillField, openPage, resourcePath, save, shot, useDemoBrowser, visible } from './helpers';

const demo = useDemoBrowser();
const { db, web, one } = demo;


/** The texts of a list's reference cells, by column. */
async function referenceCells(page: Page, resource: string): Promise<Record<string, string[]>> {
  await openPage(page, resourcePath(resource), 'table tbody tr');
  const out: Record<string, string[]> = {};
  for (const ref of resourceOf(resource)!.references) {
    const cells = page.locator(`table tbody td[data-property-name="${ref.column}"]`);
    out[ref.column] = (await cells.allInnerTexts()).map((t) => t.trim()).filter(Boolean);
  }
  return out;
}

describe('records read like a CRM', { timeout: BROWSER_TEST_TIMEOUT * 2 }, () => {
  it.each(['agent', 'manager', 'director', 'admin'])('as %s, no reference column of the everyday lists shows a bare id', async (username) => {
    const page = await web.loginAs('acme', username);
    let seen = 0;
    for (const resource of ['contacts', 'deals', 'leads', 'activities', 'users']) {
      const cells = await referenceCells(page, resource);
      for (const [column, texts] of Object.entries(cells)) {
        for (const text of texts) expect(text, `${username}: ${resource}.${column}`).not.toMatch(/^\d+$/);
        seen += texts.length;
      }
      if (resource === 'deals') await shot(page, `${resource}-list`);
    }
    expect(seen).toBeGreaterThan(0);
    expectHealthy(page);
  });

  it("a company's page is headed by its name and lists its contacts and deals", async () => {
    const company = await one(
      `SELECT c.id, c.name, (SELECT count(*)::int FROM contacts x WHERE x.company_id = c.id) AS contacts,
              (SELECT count(*)::int FROM deals d WHERE d.company_id = c.id) AS deals
       FROM companies c WHERE c.tenant_id = $1 ORDER BY 2 DESC, 3 DESC LIMIT 1`,
      [demo.acme],
    );
    const page = await web.loginAs('acme', 'director');
    await openPage(page, resourcePath('companies', 'show', company.id), '[data-testid="related-contacts"]');
    await visible(page.locator('h2', { hasText: company.name }));
    expect(await page.title()).toBe(`${company.name} · Companies · EpesiCRM`);
    const contacts = page.locator('[data-testid="related-contacts"]');
    expect(await contacts.locator('[data-testid="related-count"]').innerText()).toBe(String(company.contacts));
    await visible(page.locator('[data-testid="related-deals"] table tbody tr'));
    await shot(page, 'company');
    // A row links to its record, which is headed by its own title.
    const first = contacts.locator('table tbody tr a').first();
    const name = (await first.innerText()).trim();
    await first.click();
    await visible(page.locator('h2', { hasText: name }));
    expectHealthy(page);
  });

  it("a deal's page lists its activities, and 'Add' there creates one linked to the deal", async () => {
    const deal = await one(
      `SELECT d.id, d.title FROM deals d JOIN users u ON u.id = d.assigned_to_id WHERE d.tenant_id = $1 AND u.username = 'agent' ORDER BY d.id LIMIT 1`,
      [demo.acme],
    );
    const page = await web.loginAs('acme', 'agent');
    await openPage(page, resourcePath('deals', 'show', deal.id), '[data-testid="related-activities"]');
    await visible(page.locator('h2', { hasText: deal.title }));
    const before = (await one('SELECT count(*)::int AS n FROM activities WHERE deal_id = $1', [deal.id])).n;
    expect(await page.locator('[data-testid="related-activities"] [data-testid="related-count"]').innerText()).toBe(String(before));
    await page.locator('[data-testid="related-add-activities"]').click();
    await page.locator('[data-testid="button-save"]').waitFor();
    await fillField(page, 'subject', 'Call about the renewal');
    const answer = await save(page);
    expect(answer.record?.errors ?? {}).toEqual({});
    const made = await one(`SELECT deal_id FROM activities WHERE tenant_id = $1 AND subject = 'Call about the renewal'`, [demo.acme]);
    expect(made.deal_id).toBe(deal.id);
    await openPage(page, resourcePath('deals', 'show', deal.id), '[data-testid="related-activities"]');
    await visible(page.locator('[data-testid="related-activities"] a', { hasText: 'Call about the renewal' }));
    await shot(page, 'deal-with-activity');
    expectHealthy(page);
  });

  it('the list filter "Name" finds a contact by full name', async () => {
    const c = await one(
      `SELECT x.first_name, x.last_name FROM contacts x JOIN users u ON u.id = x.assigned_to_id WHERE x.tenant_id = $1 AND u.username = 'agent' LIMIT 1`,
      [demo.acme],
    );
    const page = await web.loginAs('acme', 'agent');
    const name = `${c.first_name} ${c.last_name}`;
    await openPage(page, `${resourcePath('contacts')}?filters.__title=${encodeURIComponent(name)}`, 'table tbody tr');
    const titles = (await page.locator('table tbody td[data-property-name="__title"]').allInnerTexts()).map((t) => t.trim());
    expect(titles.length).toBeGreaterThan(0);
    for (const t of titles) expect(t.startsWith(name)).toBe(true);
    await shot(page, 'quick-search');
    expectHealthy(page);
  });
});
