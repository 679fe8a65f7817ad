import { productOffers } from '../../../schema';
import { defineScreen } from './spec';

export default defineScreen(productOffers, {
  list: ['name', 'product_id', 'discount_type', 'discount_value', 'start_date', 'end_date', 'is_active'],
  longText: ['description'],
});
