// The deal board at 1440 px: every stage on screen (Closed Won/Lost were off to the right), each column's count
// and value, and moving a deal from the keyboard (Tab to its stage picker) as well as by drag and drop.
import { beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_TEST_TIMEOUT, expectHealthy, openPage, shot, useDemoBrowser, visible } from '../browser/helpers';

const demo = useDemoBrowser();
const { db, web } = demo;

describe('deal board', { timeout: BROWSER_TEST_TIMEOUT }, () => {
  it('shows every stage with its count and value, and moves a deal from the keyboard', async () => {
    const page = await web.loginAs('acme', 'admin');
    await openPage(page, '/admin/pages/Deal%20board', '[data-testid="deal-board"] section');
    const stages = page.locator('[data-testid="deal-board"] > section');
    const n = await stages.count();
    expect(n).toBeGreaterThanOrEqual(5);
    const width = page.viewportSize()!.width;
    for (let i = 0; i < n; i++) {
      const box = (await stages.nth(i).boundingBox())!;
      expect(box.x + box.width, `stage ${i + 1} of ${n} fits the screen`).toBeLessThanOrEqual(width);
    }
    await visible(page.locator('[data-stage="Closed Won"]'));
    await visible(page.locator('[data-stage="Closed Won"] [data-testid="column-value"]'));
    await shot(page, 'board');

    // Keyboard: Tab from a card's link to its stage picker, pick the next stage.
    const card = page.locator('[data-deal]').first();
    const dealId = Number((await card.getAttribute('data-testid'))!.replace('deal-', ''));
    const before = (await db.pool.query(`SELECT stage_id FROM deals WHERE id = $1`, [dealId])).rows[0].stage_id;
    await card.locator('a').focus();
    await page.keyboard.press('Tab');
    const picker = page.locator(`[data-testid="move-${dealId}"]`);
    expect(await picker.evaluate((el) => el === document.activeElement)).toBe(true);
    const target = await picker.locator('option').evaluateAll((os, current) => os.map((o) => (o as HTMLOptionElement).value).find((v) => v !== String(current)), before);
    await picker.selectOption(target!);
    await visible(page.getByText(/moved to/));
    expect((await db.pool.query(`SELECT stage_id FROM deals WHERE id = $1 AND tenant_id = $2`, [dealId, demo.acme])).rows[0].stage_id).toBe(Number(target));
    expect(await page.locator('[data-deal][draggable="true"]').count()).toBeGreaterThan(0); // drag and drop stays
    await shot(page, 'moved');
    expectHealthy(page);
  });
});
