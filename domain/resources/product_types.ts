import { productTypes } from '../../schema';
import { defineResource } from './spec';

export default defineResource(productTypes, {
  group: 'Products',
  title: 'name',
  search: ['name'],
});
