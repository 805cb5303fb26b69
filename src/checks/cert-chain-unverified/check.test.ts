import { testCheck } from '../support/tester.js';
import { certChainUnverified } from './check.js';

testCheck(certChainUnverified, import.meta.dirname);
