import { testCheck } from '../framework/tester.js';
import { certChainUnverified } from './check.js';

testCheck(certChainUnverified, import.meta.dirname);
