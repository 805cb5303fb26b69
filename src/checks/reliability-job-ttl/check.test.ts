import { testCheck } from '../support/tester.js';
import { reliabilityJobTtl } from './check.js';

testCheck(reliabilityJobTtl, import.meta.dirname);
