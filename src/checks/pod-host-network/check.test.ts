import { testCheck } from '../support/tester.js';
import { podHostNetwork } from './check.js';

testCheck(podHostNetwork, import.meta.dirname);
