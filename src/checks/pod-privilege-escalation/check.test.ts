import { testCheck } from '../support/tester.js';
import { podPrivilegeEscalation } from './check.js';

testCheck(podPrivilegeEscalation, import.meta.dirname);
