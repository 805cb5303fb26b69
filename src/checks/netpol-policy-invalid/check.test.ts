import { testCheck } from '../framework/tester.js';
import { netpolPolicyInvalid } from './check.js';

testCheck(netpolPolicyInvalid, import.meta.dirname);
