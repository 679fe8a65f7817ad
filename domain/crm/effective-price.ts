// What a product costs at a given moment: its sale price after the best offer valid then.
//
// An offer counts when it is active and `at` lies within its dates (inclusive; a missing start or end is
// open, so an offer with no dates is always valid). A percentage takes that share off, rounded half up to the
// cent; a fixed amount takes that amount off. The best offer is the one leaving the lowest price (the oldest
// offer on a tie); the price never goes below 0.00. Offers' `conditions` (minimum quantity, customer type...)
// describe who may claim them; they are not evaluated here, where no order or customer is known.
// All arithmetic is in integer cents.
import type { Actor, Row, ScopedData } from '../scoped-data';
import { fromCents, percentOf, toCents } from './money';

export interface OfferApplied {
  id: number;
  name: string;
  discount_type: 'percentage' | 'fixed_amount';
  discount_value: string;
}

export interface EffectivePrice {
  /** The price after the offer, '0.00' at least. */
  price: string;
  /** The product's own sale price. */
  listPrice: string;
  currency: string;
  /** The offer applied, or null when none is valid at `at`. */
  offer: OfferApplied | null;
}

/** More offers than this on one product would be a data problem; the list is read in one page. */
const MAX_OFFERS = 500;

const time = (v: unknown) => (v instanceof Date ? v.getTime() : v === null || v === undefined ? null : new Date(String(v)).getTime());

/** Whether `offer` applies at `at` (active, and within its dates where it has them). */
export function offerValidAt(offer: Row, at: Date): boolean {
  if (offer.is_active !== true) return false;
  const start = time(offer.start_date);
  const end = time(offer.end_date);
  return (start === null || start <= at.getTime()) && (end === null || at.getTime() <= end);
}

/** The price in cents after `offer`, never below zero. */
export function priceAfter(cents: bigint, offer: Row): bigint {
  const discount = offer.discount_type === 'percentage' ? percentOf(cents, String(offer.discount_value)) : toCents(String(offer.discount_value));
  return cents > discount ? cents - discount : 0n;
}

/** The valid offer leaving the lowest price (the first of `offers` on a tie), or null. */
export function bestOffer(cents: bigint, offers: Row[], at: Date): { cents: bigint; offer: Row } | null {
  let best: { cents: bigint; offer: Row } | null = null;
  for (const offer of offers) {
    if (!offerValidAt(offer, at)) continue;
    const after = priceAfter(cents, offer);
    if (best === null || after < best.cents) best = { cents: after, offer };
  }
  return best;
}

export async function effectivePrice(data: ScopedData, actor: Actor, productId: unknown, at: Date = new Date()): Promise<EffectivePrice> {
  return data.transaction(actor, async (scoped) => {
    const product = await scoped.get(actor, 'products', productId);
    const { records: offers } = await scoped.list(actor, 'product_offers', {
      filters: { product_id: product.id as number, is_active: true },
      sortBy: 'id',
      direction: 'asc',
      perPage: MAX_OFFERS,
      withTotal: false,
    });
    const list = toCents(String(product.sale_price));
    const best = bestOffer(list, offers, at);
    const o = best?.offer;
    return {
      price: fromCents(best ? best.cents : list),
      listPrice: fromCents(list),
      currency: String(product.currency),
      offer: o
        ? { id: o.id as number, name: String(o.name), discount_type: o.discount_type as OfferApplied['discount_type'], discount_value: String(o.discount_value) }
        : null,
    };
  });
}
