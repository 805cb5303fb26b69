import { testCheck } from '../support/tester.js';
import { webhookCaBundleMissing } from './check.js';

testCheck(webhookCaBundleMissing, import.meta.dirname);
