import { testCheck } from '../support/tester.js';
import { netpolPolicyInvalid } from './check.js';

testCheck(netpolPolicyInvalid, import.meta.dirname);
