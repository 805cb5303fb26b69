import { testCheck } from '../support/tester.js';
import { netpolNamespaceNoDefaultDenyEgress } from './check.js';

testCheck(netpolNamespaceNoDefaultDenyEgress, import.meta.dirname);
