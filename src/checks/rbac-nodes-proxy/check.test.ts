import { testCheck } from '../framework/tester.js';
import { rbacNodesProxy } from './check.js';

testCheck(rbacNodesProxy, import.meta.dirname);
