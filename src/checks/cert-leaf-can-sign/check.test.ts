import { testCheck } from '../framework/tester.js';
import { certLeafCanSign } from './check.js';

testCheck(certLeafCanSign, import.meta.dirname);
