// One entry file per component (AdminJS bundles default exports); the component lives in RecordActions.tsx.
import { ConvertLead } from './RecordActions';

export default ConvertLead;
