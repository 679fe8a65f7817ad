import { productCategories } from '../../../schema';
import { defineScreen } from './spec';

export default defineScreen(productCategories, {
  longText: ['description'],
});
