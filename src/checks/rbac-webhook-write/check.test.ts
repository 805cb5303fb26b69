import { testCheck } from '../framework/tester.js';
import { rbacWebhookWrite } from './check.js';

testCheck(rbacWebhookWrite, import.meta.dirname);
