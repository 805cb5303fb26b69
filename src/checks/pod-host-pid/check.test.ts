import { testCheck } from '../framework/tester.js';
import { podHostPid } from './check.js';

testCheck(podHostPid, import.meta.dirname);
