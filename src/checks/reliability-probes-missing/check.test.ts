import { testCheck } from '../support/tester.js';
import { reliabilityProbesMissing } from './check.js';

testCheck(reliabilityProbesMissing, import.meta.dirname);
