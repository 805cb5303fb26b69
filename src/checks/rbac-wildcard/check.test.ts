import { testCheck } from '../support/tester.js';
import { rbacWildcard } from './check.js';

testCheck(rbacWildcard, import.meta.dirname);
