import { testCheck } from '../support/tester.js';
import { podHostPid } from './check.js';

testCheck(podHostPid, import.meta.dirname);
