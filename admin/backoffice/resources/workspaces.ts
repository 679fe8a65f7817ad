import { workspaces } from '../../../schema';
import { defineScreen } from './spec';

export default defineScreen(workspaces, {
  longText: ['description'],
  related: ['users', 'companies', 'contacts', 'deals', 'leads'],
});
