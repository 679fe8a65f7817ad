import { products } from '../../schema';
import { defineResource } from './spec';

export default defineResource(products, {
  group: 'Products',
  title: 'name',
  search: ['name', 'title', 'sku'],
});
