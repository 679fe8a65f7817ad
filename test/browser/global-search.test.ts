// The global search in the top bar, as an agent uses it in Chromium: Ctrl+K (or "/") opens the box, typing
// shows the hits grouped by resource under their titles (never another tenant's or another agent's record),
// and a click opens the record's page.
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../harness';
import { loadWorld } from '../security/world';
import { plantSearchWorld, WORD, type Planted } from '../search/planted';
import { BROWSER_TEST_TIMEOUT, expectHealthy, resourcePath, shot, useBrowser, visible } from './helpers';

const db = useTestDatabase();
const web = useBrowser(db);
let planted: Planted;

beforeAll(async () => {
  planted = await plantSearchWorld(await loadWorld(db));
});

describe('global search', { timeout: BROWSER_TEST_TIMEOUT }, () => {
  it('Ctrl+K, type, see grouped titled results, click one, land on the record page', async () => {
    const page = await web.loginAs('acme', 'agent');
    const box = page.getByRole('combobox', { name: 'Search everything' });
    await page.keyboard.press('Control+k');
    await visible(box);
    expect(await box.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type(WORD.toLowerCase());
    const results = page.getByRole('listbox', { name: 'Search results' });
    for (const [group, title] of [['Deals', `${WORD} renewal`], ['Contacts', `${WORD} Quill`], ['Companies', `${WORD} Works`]]) {
      await visible(results.getByRole('group', { name: group }).getByRole('option', { name: title }));
    }
    const texts = await results.innerText();
    expect(texts).not.toContain('rival bid'); // another agent's deal
    expect(await results.getByRole('group', { name: 'Deals' }).getByRole('option').count()).toBe(1); // not globex's either
    await shot(page, 'results');

    await results.getByRole('option', { name: `${WORD} Quill` }).click();
    await page.waitForURL((url) => url.pathname === resourcePath('contacts', 'show', planted['acme.contact']));
    await visible(page.locator('h2', { hasText: `${WORD} Quill` }));
    await shot(page, 'record');
    expectHealthy(page);
  });

  it('"/" opens the box from anywhere but a field; Escape closes the results', async () => {
    const page = await web.loginAs('acme', 'agent');
    const box = page.getByRole('combobox', { name: 'Search everything' });
    await page.locator('h1, h2').first().click(); // (a heading: not a field; the home's figures are links)
    await page.keyboard.press('/');
    expect(await box.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('no such thing qqq');
    await visible(page.getByText('Nothing you may see matches “no such thing qqq”.'));
    await shot(page, 'nothing');
    await page.keyboard.press('Escape');
    expect(await page.getByRole('listbox', { name: 'Search results' }).count()).toBe(0);
    expectHealthy(page);
  });
});
