import { testCheck } from '../support/tester.js';
import { reliabilityProbePort } from './check.js';

testCheck(reliabilityProbePort, import.meta.dirname);
