import { assistantProspects } from '../../schema';
import { defineResource } from './spec';

export default defineResource(assistantProspects, {
  group: 'AI Assistants',
  title: 'name',
  search: ['name', 'email', 'company'],
});
