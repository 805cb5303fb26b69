import { testCheck } from '../support/tester.js';
import { rbacNodesProxy } from './check.js';

testCheck(rbacNodesProxy, import.meta.dirname);
