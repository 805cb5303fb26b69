import { testCheck } from '../support/tester.js';
import { netpolPolicySelectsNothing } from './check.js';

testCheck(netpolPolicySelectsNothing, import.meta.dirname);
