import { productCategories } from '../../schema';
import { defineResource } from './spec';

export default defineResource(productCategories, {
  group: 'Products',
  title: 'name',
  search: ['name'],
});
