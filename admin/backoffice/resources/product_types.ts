import { productTypes } from '../../../schema';
import { defineScreen } from './spec';

export default defineScreen(productTypes, {
  longText: ['description'],
});
