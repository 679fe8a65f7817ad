import { activities } from '../../../schema';
import { Components } from '../components';
import { defineScreen } from './spec';

export default defineScreen(activities, {
  list: ['subject', 'status', 'priority', 'due_date', 'user_id', 'deal_id'],
  longText: ['description'],
  actions: {
    complete: { component: Components.CompleteActivity, icon: 'CheckCircle', needs: 'update', when: (activity) => activity.status !== 'completed', whyNot: 'This activity is already completed.' },
  },
});
