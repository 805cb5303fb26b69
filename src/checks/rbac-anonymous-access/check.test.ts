import { testCheck } from '../support/tester.js';
import { rbacAnonymousAccess } from './check.js';

testCheck(rbacAnonymousAccess, import.meta.dirname);
