import { tenants } from '../../../schema';
import { defineScreen } from './spec';

export default defineScreen(tenants, {});
