import { assistants } from '../../../schema';
import { Components } from '../components';
import { defineScreen } from './spec';

export default defineScreen(assistants, {
  longText: ['description', 'system_prompt', 'widget_code'],
  actions: { embed: { component: Components.AssistantEmbed, icon: 'Code', needs: 'update' } },
});
