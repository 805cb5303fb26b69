import { testCheck } from '../support/tester.js';
import { webhookFailOpen } from './check.js';

testCheck(webhookFailOpen, import.meta.dirname);
