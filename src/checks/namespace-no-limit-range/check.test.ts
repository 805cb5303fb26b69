import { testCheck } from '../framework/tester.js';
import { namespaceNoLimitRange } from './check.js';

testCheck(namespaceNoLimitRange, import.meta.dirname);
