import { testCheck } from '../support/tester.js';
import { rbacClusterAdminBinding } from './check.js';

testCheck(rbacClusterAdminBinding, import.meta.dirname);
