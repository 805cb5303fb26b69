import { testCheck } from '../framework/tester.js';
import { podCapabilitiesNotDropped } from './check.js';

testCheck(podCapabilitiesNotDropped, import.meta.dirname);
