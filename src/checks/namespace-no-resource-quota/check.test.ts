import { testCheck } from '../framework/tester.js';
import { namespaceNoResourceQuota } from './check.js';

testCheck(namespaceNoResourceQuota, import.meta.dirname);
