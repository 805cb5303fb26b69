import { testCheck } from '../support/tester.js';
import { reliabilityEphemeralStorage } from './check.js';

testCheck(reliabilityEphemeralStorage, import.meta.dirname);
