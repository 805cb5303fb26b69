import { testCheck } from '../framework/tester.js';
import { rbacAnonymousAccess } from './check.js';

testCheck(rbacAnonymousAccess, import.meta.dirname);
