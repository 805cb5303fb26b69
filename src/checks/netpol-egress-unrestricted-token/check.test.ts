import { testCheck } from '../framework/tester.js';
import { netpolEgressUnrestrictedToken } from './check.js';

testCheck(netpolEgressUnrestrictedToken, import.meta.dirname);
