import { testCheck } from '../support/tester.js';
import { rbacWebhookWrite } from './check.js';

testCheck(rbacWebhookWrite, import.meta.dirname);
