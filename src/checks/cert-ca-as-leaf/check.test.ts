import { testCheck } from '../framework/tester.js';
import { certCaAsLeaf } from './check.js';

testCheck(certCaAsLeaf, import.meta.dirname);
