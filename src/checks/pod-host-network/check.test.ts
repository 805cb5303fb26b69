import { testCheck } from '../framework/tester.js';
import { podHostNetwork } from './check.js';

testCheck(podHostNetwork, import.meta.dirname);
