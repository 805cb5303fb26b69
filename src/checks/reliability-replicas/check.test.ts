import { testCheck } from '../support/tester.js';
import { reliabilityReplicas } from './check.js';

testCheck(reliabilityReplicas, import.meta.dirname);
