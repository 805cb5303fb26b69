import { testCheck } from '../support/tester.js';
import { reliabilityServiceAccountMissing } from './check.js';

testCheck(reliabilityServiceAccountMissing, import.meta.dirname);
