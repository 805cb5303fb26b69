import { testCheck } from '../framework/tester.js';
import { rbacNamespaceUpdate } from './check.js';

testCheck(rbacNamespaceUpdate, import.meta.dirname);
