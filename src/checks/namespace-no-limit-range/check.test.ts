import { testCheck } from '../support/tester.js';
import { namespaceNoLimitRange } from './check.js';

testCheck(namespaceNoLimitRange, import.meta.dirname);
