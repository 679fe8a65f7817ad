import { products } from '../../../schema';
import { Components } from '../components';
import { defineScreen } from './spec';

export default defineScreen(products, {
  list: ['name', 'sku', 'sale_price', 'currency', 'stock', 'is_active', 'category_id'],
  longText: ['description'],
  labels: { sku: 'SKU' },
  extras: {
    // A product's price today, after its best active offer (domain/crm), on its show page.
    effective_price: {
      type: 'string',
      position: 4.5,
      isVisible: { list: false, filter: false, edit: false, show: true },
      components: { show: Components.EffectivePrice },
    },
  },
});
