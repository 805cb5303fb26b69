import { testCheck } from '../support/tester.js';
import { reliabilityEnvDuplicate } from './check.js';

testCheck(reliabilityEnvDuplicate, import.meta.dirname);
