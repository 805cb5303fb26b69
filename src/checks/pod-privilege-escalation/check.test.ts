import { testCheck } from '../framework/tester.js';
import { podPrivilegeEscalation } from './check.js';

testCheck(podPrivilegeEscalation, import.meta.dirname);
