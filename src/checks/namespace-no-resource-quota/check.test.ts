import { testCheck } from '../support/tester.js';
import { namespaceNoResourceQuota } from './check.js';

testCheck(namespaceNoResourceQuota, import.meta.dirname);
