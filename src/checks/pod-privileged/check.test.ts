import { testCheck } from '../support/tester.js';
import { podPrivileged } from './check.js';

testCheck(podPrivileged, import.meta.dirname);
