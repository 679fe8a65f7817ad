// One entry file per component (AdminJS bundles default exports); the component lives in RecordActions.tsx.
import { AssignLead } from './RecordActions';

export default AssignLead;
