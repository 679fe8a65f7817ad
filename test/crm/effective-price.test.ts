// effectivePrice: the sale price after the best active offer valid at a moment, in integer cents, never below 0.
import { describe, expect, it } from 'vitest';
import { effectivePrice } from '../../domain/crm';
import { fromCents, percentOf, toCents } from '../../domain/crm/money';
import { DEMO_BASE_DATE } from '../../scripts/demo-data';
import { expectRefused } from '../security/helpers';
import { crmWorld, writesNothing } from './fixture';

const w = crmWorld();
const AT = new Date('2026-06-15T12:00:00Z');
const day = (d: string) => new Date(`${d}T00:00:00Z`);

let n = 0;
/** A product with these offers (defaults: active, no dates), written by the system. */
async function productWith(salePrice: string, offers: Record<string, unknown>[] = [], currency = 'EUR') {
  const product = await w.insert('products', {
    name: `Priced ${++n}`,
    title: `Priced product ${n}`,
    sale_price: salePrice,
    currency,
    tenant_id: w.acme.id,
  });
  const rows = [];
  for (const [i, o] of offers.entries()) {
    rows.push(await w.insert('product_offers', { name: `Offer ${i + 1}`, product_id: product.id, tenant_id: w.acme.id, ...o }));
  }
  return { product, offers: rows };
}

const priceOf = async (productId: number, at = AT, username = 'agent') => effectivePrice(w.data, await w.actor(username), productId, at);

describe('effectivePrice', () => {
  it('without offers: the sale price, as a string with two decimals, in the product currency', async () => {
    const { product } = await productWith('189');
    expect(await priceOf(product.id)).toEqual({ price: '189.00', listPrice: '189.00', currency: 'EUR', offer: null });
  });

  it('a percentage offer, rounded half up to the cent', async () => {
    const { product, offers } = await productWith('99.99', [{ discount_type: 'percentage', discount_value: '12.50' }]);
    // 12.5% of 99.99 = 12.49875 -> 12.50 off.
    expect(await priceOf(product.id)).toEqual({
      price: '87.49',
      listPrice: '99.99',
      currency: 'EUR',
      offer: { id: offers[0]!.id, name: 'Offer 1', discount_type: 'percentage', discount_value: '12.50' },
    });
    const { product: thirds } = await productWith('10.00', [{ discount_type: 'percentage', discount_value: '33.33' }]);
    expect((await priceOf(thirds.id)).price).toBe('6.67');
  });

  it('a fixed amount offer (no float drift: 0.30 - 0.10 is 0.20)', async () => {
    const { product } = await productWith('1299.00', [{ discount_type: 'fixed_amount', discount_value: '200.00' }]);
    expect((await priceOf(product.id)).price).toBe('1099.00');
    const { product: small } = await productWith('0.30', [{ discount_type: 'fixed_amount', discount_value: '0.10' }]);
    expect((await priceOf(small.id)).price).toBe('0.20');
  });

  it('ignores expired, not yet started and inactive offers; dates are inclusive and open where missing', async () => {
    const { product } = await productWith('100.00', [
      { discount_type: 'percentage', discount_value: '50', start_date: day('2026-01-01'), end_date: day('2026-06-14') }, // expired
      { discount_type: 'percentage', discount_value: '60', start_date: day('2026-06-16') }, // not yet
      { discount_type: 'percentage', discount_value: '70', is_active: false }, // inactive
    ]);
    expect(await priceOf(product.id)).toMatchObject({ price: '100.00', offer: null });
    expect(await priceOf(product.id, day('2026-06-14'))).toMatchObject({ price: '50.00', offer: { discount_value: '50.00' } });
    expect(await priceOf(product.id, new Date('2026-06-14T00:00:00.001Z'))).toMatchObject({ price: '100.00', offer: null });
    expect(await priceOf(product.id, day('2027-01-01'))).toMatchObject({ price: '40.00', offer: { discount_value: '60.00' } });
  });

  it('never below zero: a discount larger than the price gives 0.00', async () => {
    const { product } = await productWith('49.00', [{ discount_type: 'fixed_amount', discount_value: '500.00' }]);
    expect(await priceOf(product.id)).toMatchObject({ price: '0.00', listPrice: '49.00', offer: { discount_type: 'fixed_amount' } });
  });

  it('the best of several valid offers: the lowest resulting price, the oldest offer on a tie', async () => {
    const { product, offers } = await productWith('200.00', [
      { discount_type: 'percentage', discount_value: '10' }, // 180.00
      { discount_type: 'fixed_amount', discount_value: '25.00', start_date: day('2026-06-01'), end_date: day('2026-06-30') }, // 175.00
      { discount_type: 'percentage', discount_value: '12.5' }, // 175.00, later
    ]);
    expect(await priceOf(product.id)).toMatchObject({ price: '175.00', offer: { id: offers[1]!.id } });
    // After the fixed offer ends, the percentages compete.
    expect(await priceOf(product.id, day('2026-07-01'))).toMatchObject({ price: '175.00', offer: { id: offers[2]!.id } });
  });

  it("the demo's launch offer on the rocket skates, valid at the demo date", async () => {
    const skates = await w.one(`SELECT id FROM products WHERE tenant_id = $1 AND sku = 'ACME-RSK-PRO'`, [w.acme.id]);
    expect(await priceOf(skates.id, DEMO_BASE_DATE)).toMatchObject({ price: '1099.00', listPrice: '1299.00', currency: 'USD', offer: { name: 'Launch offer' } });
  });

  it("another tenant's product, or one of another workspace, is a 404; nothing is written", async () => {
    const theirs = await w.one('SELECT id FROM products WHERE tenant_id = $1 ORDER BY id LIMIT 1', [w.globex.id]);
    const ws1 = await w.one('SELECT id FROM products WHERE tenant_id = $1 AND workspace_id = $2 ORDER BY id LIMIT 1', [w.acme.id, w.acme.workspaces[0]]);
    await writesNothing(w, async () => {
      await expectRefused(priceOf(theirs.id), 'not_found');
      await expectRefused(priceOf(ws1.id, AT, 'agent3'), 'not_found');
      await expectRefused(priceOf('abc' as unknown as number), 'invalid');
    });
  });
});

describe('money in cents', () => {
  it('parses, prints and takes percentages without floating point', () => {
    expect(toCents('189')).toBe(18900n);
    expect(toCents('0.1')).toBe(10n);
    expect(toCents('99999999.99')).toBe(9_999_999_999n);
    expect(fromCents(5n)).toBe('0.05');
    expect(fromCents(-105n)).toBe('-1.05');
    expect(percentOf(9_999_999_999n, '99.99')).toBe(9_998_999_999n); // 9999999999 * 0.9999 = 9998999999.0001
    expect(percentOf(1n, '50')).toBe(1n); // half a cent rounds up
    expect(() => toCents('1.234')).toThrow();
  });
});
