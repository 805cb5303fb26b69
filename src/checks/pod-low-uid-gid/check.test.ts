import { testCheck } from '../support/tester.js';
import { podLowUidGid } from './check.js';

testCheck(podLowUidGid, import.meta.dirname);
