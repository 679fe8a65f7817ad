import { ingestKeys } from '../../../schema';
import { defineScreen } from './spec';

export default defineScreen(ingestKeys, {});
