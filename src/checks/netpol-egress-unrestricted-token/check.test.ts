import { testCheck } from '../support/tester.js';
import { netpolEgressUnrestrictedToken } from './check.js';

testCheck(netpolEgressUnrestrictedToken, import.meta.dirname);
