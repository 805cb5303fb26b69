import { testCheck } from '../framework/tester.js';
import { netpolNamespaceNoDefaultDeny } from './check.js';

testCheck(netpolNamespaceNoDefaultDeny, import.meta.dirname);
