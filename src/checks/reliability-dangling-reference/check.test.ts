import { testCheck } from '../support/tester.js';
import { reliabilityDanglingReference } from './check.js';

testCheck(reliabilityDanglingReference, import.meta.dirname);
