import { testCheck } from '../framework/tester.js';
import { netpolNamespaceNoDefaultDenyEgress } from './check.js';

testCheck(netpolNamespaceNoDefaultDenyEgress, import.meta.dirname);
