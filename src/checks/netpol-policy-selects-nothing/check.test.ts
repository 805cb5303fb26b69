import { testCheck } from '../framework/tester.js';
import { netpolPolicySelectsNothing } from './check.js';

testCheck(netpolPolicySelectsNothing, import.meta.dirname);
