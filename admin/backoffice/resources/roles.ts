import { PERMISSIONS, roles } from '../../../schema';
import { defineScreen } from './spec';

export default defineScreen(roles, {
  list: ['name', 'level', 'description'],
  longText: ['description'],
  choices: { permissions: PERMISSIONS }, // a text[] of the known permission strings
});
