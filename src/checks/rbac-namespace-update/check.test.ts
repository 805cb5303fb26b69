import { testCheck } from '../support/tester.js';
import { rbacNamespaceUpdate } from './check.js';

testCheck(rbacNamespaceUpdate, import.meta.dirname);
