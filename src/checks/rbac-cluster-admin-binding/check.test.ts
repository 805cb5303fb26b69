import { testCheck } from '../framework/tester.js';
import { rbacClusterAdminBinding } from './check.js';

testCheck(rbacClusterAdminBinding, import.meta.dirname);
