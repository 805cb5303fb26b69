import { testCheck } from '../support/tester.js';
import { netpolNamespaceNoDefaultDeny } from './check.js';

testCheck(netpolNamespaceNoDefaultDeny, import.meta.dirname);
