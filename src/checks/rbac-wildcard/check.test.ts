import { testCheck } from '../framework/tester.js';
import { rbacWildcard } from './check.js';

testCheck(rbacWildcard, import.meta.dirname);
