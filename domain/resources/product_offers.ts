import { productOffers } from '../../schema';
import { defineResource } from './spec';

export default defineResource(productOffers, {
  group: 'Products',
  title: 'name',
  search: ['name'],
});
