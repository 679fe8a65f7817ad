import { leads } from '../../../schema';
import { Components } from '../components';
import { defineScreen } from './spec';

export default defineScreen(leads, {
  list: ['first_name', 'last_name', 'email', 'company', 'status', 'score', 'assigned_to_id', 'created_at'],
  longText: ['notes'],
  widgets: { email: { edit: Components.DuplicateEmail } },
  actions: {
    convert: { component: Components.ConvertLead, icon: 'UserCheck', needs: 'update', when: (lead) => lead.status !== 'converted', whyNot: 'This lead is already converted.' },
    assign: { component: Components.AssignLead, icon: 'UserPlus', needs: 'update' },
  },
});
