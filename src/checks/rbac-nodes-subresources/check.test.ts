import { testCheck } from '../support/tester.js';
import { rbacNodesSubresources } from './check.js';

testCheck(rbacNodesSubresources, import.meta.dirname);
