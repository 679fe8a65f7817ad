// One entry file per component (AdminJS bundles default exports); the component lives in RecordActions.tsx.
import { CompleteActivity } from './RecordActions';

export default CompleteActivity;
