import { testCheck } from '../support/tester.js';
import { podCapabilitiesNotDropped } from './check.js';

testCheck(podCapabilitiesNotDropped, import.meta.dirname);
